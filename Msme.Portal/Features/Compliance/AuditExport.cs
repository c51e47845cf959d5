using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Compliance;

/// <summary>
/// The audit trail as CSV for auditors, every column, hashes included. Two files: the default download is safe to open
/// in a spreadsheet (a cell that would run as a formula, starting with = + - @ tab or CR, gets a leading apostrophe,
/// as in every other export: sign-in names and URLs come from outside); the exact file holds every value byte for byte
/// as stored, so the chain can be re-derived outside the portal (with the key).
/// </summary>
public static class AuditExport
{
    public const string Route = "/compliance/audit.csv";
    public const string ExactRoute = "/compliance/audit-exact.csv";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, Route, exact: false);
        Map(endpoints, ExactRoute, exact: true);
        return endpoints;
    }

    private static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string route, bool exact) =>
        endpoints.MapGet(route, async (HttpContext http, IDbContextFactory<ApplicationDbContext> dbFactory, AuditLog audit, CancellationToken ct) =>
        {
            await audit.AppendAsync(AuditEvent.For(http.User, "export", route,
                details: exact ? "audit trail as CSV, exact (values as stored, for re-deriving the chain)" : "audit trail as CSV, spreadsheet-safe"), ct);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = exact ? "attachment; filename=\"msme-audit-exact.csv\"" : "attachment; filename=\"msme-audit.csv\"";
            string Cell(string value) => exact ? value : Msme.Portal.Features.Exports.ExportWriter.CsvText(value, Msme.Portal.Features.Exports.ColumnKind.Text);
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
                csv.WriteField(Cell(e.UserId ?? ""));
                csv.WriteField(Cell(e.UserName));
                csv.WriteField(Cell(e.Roles));
                csv.WriteField(Cell(e.Action));
                csv.WriteField(e.CustomerId?.ToString(CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(Cell(e.Target));
                csv.WriteField(Cell(e.Details ?? ""));
                csv.WriteField(e.PreviousHash);
                csv.WriteField(e.Hash);
                csv.EndRecord();
                if (++rows % 500 == 0)
                {
                    await FlushAsync(csv, buffer, http, ct);
                }
            }
            await FlushAsync(csv, buffer, http, ct);
        }).AllowRoles("GET " + route);

    private static async Task FlushAsync(CsvWriter csv, StringWriter buffer, HttpContext http, CancellationToken ct)
    {
        csv.Flush();
        await http.Response.WriteAsync(buffer.ToString(), ct);
        buffer.GetStringBuilder().Clear();
    }
}
