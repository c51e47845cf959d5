using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Compliance;

/// <summary>The audit trail as CSV for auditors (every column, hashes included, so the chain can be re-derived outside the portal).</summary>
public static class AuditExport
{
    public const string Route = "/compliance/audit.csv";

    public static IEndpointConventionBuilder MapAuditExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Route, async (HttpContext http, IDbContextFactory<ApplicationDbContext> dbFactory, AuditLog audit, CancellationToken ct) =>
        {
            await audit.AppendAsync(AuditEvent.For(http.User, "export", Route, details: "audit trail as CSV"), ct);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"msme-audit.csv\"";
            // CsvHelper writes synchronously; ASP.NET Core forbids synchronous writes to the response, so rows go through a
            // buffer that is flushed asynchronously every few hundred rows (memory stays flat for a long trail).
            var buffer = new StringWriter(CultureInfo.InvariantCulture);
            using var csv = CsvWriter.Create(buffer, new CsvWriterOptions(), leaveOpen: true);
            foreach (var header in new[] { "Id", "AtUtc", "UserId", "UserName", "Roles", "Action", "CustomerId", "Target", "Details", "PreviousHash", "Hash" })
            {
                csv.WriteField(header);
            }
            csv.EndRecord();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = 0;
            await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                csv.WriteField(e.Id.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                csv.WriteField(e.UserId ?? "");
                csv.WriteField(e.UserName);
                csv.WriteField(e.Roles);
                csv.WriteField(e.Action);
                csv.WriteField(e.CustomerId?.ToString(CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(e.Target);
                csv.WriteField(e.Details ?? "");
                csv.WriteField(e.PreviousHash);
                csv.WriteField(e.Hash);
                csv.EndRecord();
                if (++rows % 500 == 0)
                {
                    await FlushAsync(csv, buffer, http, ct);
                }
            }
            await FlushAsync(csv, buffer, http, ct);
        }).AllowRoles("GET " + Route);

    private static async Task FlushAsync(CsvWriter csv, StringWriter buffer, HttpContext http, CancellationToken ct)
    {
        csv.Flush();
        await http.Response.WriteAsync(buffer.ToString(), ct);
        buffer.GetStringBuilder().Clear();
    }
}
