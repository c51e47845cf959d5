using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Customers;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

public sealed record ApiIssue(string Severity, string File, string? Account, string Path, int? Line, string? Value, string Message, string Text);

public sealed record ApiImportOutcome(string Bundle, string Status, string? SessionId, string? CustomerHandle, int TransactionsAdded,
    int TransactionsOverlapping, int TransactionsFilteredOut, string Summary, IReadOnlyList<ApiIssue> Issues);

/// <summary>What importing a body did, one outcome per bundle (a zip may hold several).</summary>
public sealed record ApiImportResult(IReadOnlyList<ApiImportOutcome> Outcomes);

/// <summary>POST /api/v1/imports: AA delivery bundles through the one import path (the importer behind the CLI and the upload page).</summary>
public static class ImportsApi
{
    public const string Route = "POST /api/v1/imports";

    /// <summary>The longest <c>name</c> taken: it becomes a file name (255 bytes at most on common file systems) and an audit field.</summary>
    public const int MaxNameLength = 128;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/imports", ImportAsync).AllowRoles(Route).WithTags("Imports")
            .WithName("ImportBundle")
            .WithSummary("Import AA delivery bundles: an envelope (application/json) or a zip of one or more bundle folders (application/zip)")
            .WithDescription("The same validation, atomicity and idempotency as `import` on the command line and the imports page: each bundle is " +
                "all or nothing, and the same session with the same bytes again is `unchanged` and changes nothing. 200 when no bundle was " +
                "rejected; 422 ProblemDetails when any was, naming file, account, JSON path or XML element and value for each error, with every " +
                "bundle's outcome under `outcomes` (in a zip, bundles that were not rejected are imported). Audited like every import.")
            .Accepts<byte[]>("application/json", "application/zip")
            .Produces<ApiImportResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(UploadImportService.MaxUploadBytes));
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, string? name, UploadImportService uploads, Viewer viewer, CancellationToken ct)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var extension = type switch
        {
            "application/json" => ".json",
            "application/zip" or "application/x-zip-compressed" => ".zip",
            _ => null,
        };
        if (extension is null)
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type",
                detail: "Send an envelope as application/json or bundle folders zipped as application/zip.");
        }
        if (name is { Length: > MaxNameLength })
        {
            return ApiProblems.Invalid("name", $"name is at most {MaxNameLength} characters (a bundle name, not a path); this one has {name.Length}");
        }
        // The name the outcome and the audit use; never a path.
        var stem = string.IsNullOrWhiteSpace(name) ? "api-upload" : string.Concat(Path.GetFileNameWithoutExtension(name).Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
        var user = (await viewer.UserAsync()).Identity?.Name ?? "api";
        var outcomes = await uploads.ImportAsync((stem.Length == 0 ? "api-upload" : stem) + extension, request.Body, user, ct);
        var result = new ApiImportResult([.. outcomes.Select(Outcome)]);
        if (outcomes.Any(o => o.Status == ImportStatus.Rejected))
        {
            var first = outcomes.First(o => o.Status == ImportStatus.Rejected);
            return TypedResults.Problem(statusCode: 422, title: "Bundle rejected", detail: first.Summary,
                extensions: new Dictionary<string, object?> { ["outcomes"] = result.Outcomes });
        }
        return TypedResults.Ok(result);
    }

    private static ApiImportOutcome Outcome(ImportOutcome o) => new(o.BundleName, o.Status.ToString().ToLowerInvariant(), o.SessionId, o.CustomerHandle,
        o.TransactionsAdded, o.TransactionsOverlapping, o.TransactionsFilteredOut, o.Summary,
        [.. o.Issues.Select(i => new ApiIssue(i.Severity.ToString().ToLowerInvariant(), i.File, i.Account, i.Path, i.Line, i.Value, i.Message, i.ToString()))]);
}
