using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Collections;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Exports;

/// <summary>
/// The download endpoints: every table as CSV and Excel (GET, cookie-authenticated, roles from <see cref="AccessPolicy.Endpoints"/>,
/// the same as the page the table comes from), and the Parquet lake as a zip. Every download is audited before the
/// first byte goes out: what, with which filters, how many rows.
/// </summary>
public static class ExportEndpoints
{
    public const string CollectionsQueue = "/exports/collections-queue";
    public const string CollectionsPortfolio = "/exports/collections-portfolio";
    public const string RiskAnomalies = "/exports/risk-anomalies";
    public const string RiskDashboard = "/exports/risk-dashboard";
    /// <summary>Beside the CSV of <see cref="AuditExport"/>, which keeps its route.</summary>
    public const string AuditTrailXlsx = "/compliance/audit.xlsx";
    public const string Lake = "/exports/lake.zip";

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder endpoints)
    {
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
        {
            endpoints.MapTable(CollectionsQueue, format, (http, exports, ct) => exports.QueueAsync(http.User, QueueQueryOf(http.Request.Query), ct));
            endpoints.MapTable(CollectionsPortfolio, format, (_, exports, ct) => exports.CollectionsPortfolioAsync(ct));
            endpoints.MapTable(RiskAnomalies, format, (http, exports, ct) =>
                exports.AnomaliesAsync(http.User, AnomalyFilterOf(http.Request.Query), http.Request.Query["sort"], Descending(http.Request.Query), ct));
            endpoints.MapTable(RiskDashboard, format, (_, exports, ct) => exports.RiskDashboardAsync(ct));
        }
        endpoints.MapTable("/compliance/audit", ExportFormat.Xlsx, (_, exports, ct) => exports.AuditTrailAsync(ct));

        endpoints.MapGet(Lake, async (HttpContext http, LakeExport lake, AuditLog audit, CancellationToken ct) =>
        {
            var policy = ReportExports.PolicyOf(http.User);
            var directory = Directory.CreateTempSubdirectory("msme-lake-");
            try
            {
                var result = await lake.WriteAsync(directory.FullName, policy, ct);
                await audit.AppendAsync(AuditEvent.For(http.User, "export", Lake, details: result.AuditDetails), ct);
                var zip = Path.Combine(directory.FullName, "lake.zip");
                await LakeExport.ZipAsync(directory.FullName, zip, ct);
                http.Response.ContentType = "application/zip";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"msme-lake-{DateTime.UtcNow:yyyyMMdd}.zip\"";
                await http.Response.SendFileAsync(zip, ct);
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }).AllowRoles("GET " + Lake);
        return endpoints;
    }

    /// <summary>The collections queue's filters as the page puts them in the link: filter, status, search, sort, desc.</summary>
    public static QueueQuery QueueQueryOf(IQueryCollection q) => new(
        Enum.TryParse<QueueFilter>(q["filter"], true, out var f) ? f : QueueFilter.All,
        Enum.TryParse<CollectionStatus>(q["status"], true, out var s) ? s : null,
        string.IsNullOrWhiteSpace(q["search"]) ? null : q["search"].ToString(),
        string.IsNullOrWhiteSpace(q["sort"]) ? null : q["sort"].ToString(),
        Descending(q));

    /// <summary>The anomaly queue's filters: detector, severity, state and portfolio, each repeatable; absent means any (as on the page).</summary>
    public static AnomalyFilter AnomalyFilterOf(IQueryCollection q) => new(
        [.. q["detector"].Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d!)],
        [.. q["severity"].Select(v => Enum.TryParse<Severity>(v, true, out var s) ? (Severity?)s : null).OfType<Severity>()],
        [.. q["state"].Select(v => Enum.TryParse<AnomalyReviewState>(v, true, out var s) ? (AnomalyReviewState?)s : null).OfType<AnomalyReviewState>()],
        [.. q["portfolio"].Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!)]);

    private static bool Descending(IQueryCollection q) => !string.Equals(q["desc"], "false", StringComparison.OrdinalIgnoreCase);

    private static void MapTable(this IEndpointRouteBuilder endpoints, string route, ExportFormat format,
        Func<HttpContext, ReportExports, CancellationToken, Task<ExportTable>> build)
    {
        var path = $"{route}.{ExportWriter.Extension(format)}";
        endpoints.MapGet(path, async (HttpContext http, ReportExports exports, AuditLog audit, CancellationToken ct) =>
        {
            var table = await build(http, exports, ct);
            await audit.AppendAsync(AuditEvent.For(http.User, "export", path,
                details: $"{table.Title} as {format.ToString().ToUpperInvariant()}; {table.Filters}; {table.RowCount} rows"), ct);
            http.Response.ContentType = ExportWriter.ContentType(format);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"msme-{table.Name}-{DateTime.UtcNow:yyyyMMdd}.{ExportWriter.Extension(format)}\"";
            await ExportWriter.WriteAsync(table, format, http.Response.Body, ct);
        }).AllowRoles("GET " + path);
    }
}
