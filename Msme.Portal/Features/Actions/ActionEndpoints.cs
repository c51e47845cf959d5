using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Actions;

/// <summary>The presentment page's download (cookie-authenticated, as the other exports): an approved batch's file, audited.</summary>
public static class ActionEndpoints
{
    public const string FileRoute = "/collections/presentments/{id:int}/file";

    public static IEndpointRouteBuilder MapCollectionActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(FileRoute, async (int id, HttpContext http, PresentmentService presentments, CancellationToken ct) =>
        {
            var batch = await presentments.DownloadAsync(http.User, id, ct);
            return batch is null
                ? Results.NotFound()
                : Results.File(System.Text.Encoding.UTF8.GetBytes(batch.FileContent), "text/csv", batch.FileName);
        }).AllowRoles("GET " + FileRoute);
        return endpoints;
    }
}
