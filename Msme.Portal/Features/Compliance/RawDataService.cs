using System.Text;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Features.Compliance;

/// <summary>One file as received, with the session and consent it came under.</summary>
public sealed record RawFileRow(int PayloadId, string FileName, string Role, string ContentType, long Size, string Sha256, bool Held,
    string SessionId, DateTimeOffset FetchedAt, string ConsentId, string ConsentStatus, int SessionRowId = 0)
{
    /// <summary>Whether the consent gate lets some use read this session's data now; the bytes are shown only then.</summary>
    public bool Usable { get; init; }
}

/// <summary>
/// The raw AA documents exactly as received: for Compliance and Admin only (the page checks the role; reads are audited
/// by the caller). The list of files is lineage and always shown; their bytes are AA data and pass the consent gate.
/// </summary>
public sealed class RawDataService(IDbContextFactory<ApplicationDbContext> dbFactory, PayloadStore payloads, Analytics.ConsentGate gate)
{
    public const int PreviewBytes = 256 * 1024;

    public async Task<IReadOnlyList<RawFileRow>> FilesAsync(int customerId, CancellationToken ct = default)
    {
        var viewable = (await gate.AnalysisAsync(customerId, ct)).Stamp.Viewable;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.RawPayloads.AsNoTracking()
            .Join(db.FetchSessions, p => p.FetchSessionId, s => s.Id, (p, s) => new { p, s })
            .Where(x => x.s.Consent!.CustomerId == customerId)
            .OrderBy(x => x.s.FetchedAt).ThenBy(x => x.p.Id)
            .Select(x => new RawFileRow(x.p.Id, x.p.FileName, x.p.Role, x.p.ContentType, x.p.Size, x.p.Sha256, x.p.ContentHeld,
                x.s.SessionId, x.s.FetchedAt, x.s.Consent!.ConsentId, x.s.Consent.Status.ToString(), x.s.Id))
            .ToListAsync(ct);
        return [.. rows.Select(r => r with { Usable = viewable.Contains(r.SessionRowId) })];
    }

    /// <summary>The first <see cref="PreviewBytes"/> of the file as text, or why it cannot be shown (purged).</summary>
    public async Task<string> PreviewAsync(RawFileRow file, CancellationToken ct = default)
    {
        if (!file.Held)
        {
            return "(the bytes were deleted by the purge; the hash above is what was received)";
        }
        if (!file.Usable)
        {
            return "(withheld: the session's consent allows no use of its data now (paused, revoked, expired, another purpose or past its DataLife); the hash above is what was received)";
        }
        await using var stream = payloads.OpenRead(file.Sha256);
        if (stream is null)
        {
            return "(the file is missing from the payload store)";
        }
        var buffer = new byte[Math.Min(PreviewBytes, file.Size)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return file.Size > PreviewBytes ? text + $"\n… ({file.Size - PreviewBytes:N0} more bytes)" : text;
    }
}
