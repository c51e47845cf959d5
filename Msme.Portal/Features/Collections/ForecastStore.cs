using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Features.Analytics;

namespace Msme.Portal.Features.Collections;

/// <summary>
/// The collections queue's rows per customer, persisted (<see cref="Data.Entities.ForecastSnapshot"/>) so that the first
/// queue call after a restart reads them instead of loading every customer's statements and forecasting every loan.
/// The customer's data stamp stays the one key: a row is served only when its stamp version is the customer's current
/// one and the sessions monitoring may use now are the ones it was computed from; a bump of the stamp (revocation,
/// pause, purge, import, loan book) deletes the row in the same transaction (a trigger), and a row is written only while
/// the version it was computed under is still current, so a consent revoked during a computation leaves nothing behind.
/// </summary>
public sealed class ForecastStore(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The fingerprint of the clock's part of the stamp: the sessions monitoring may use at the stamp's instant.</summary>
    public static string Sessions(CustomerAnalysis analysis) =>
        string.Join(',', analysis.Stamp.Usable(DataUse.Monitoring).Order().Select(id => id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The persisted rows of these entries that are still theirs (same version, same usable sessions, same key).</summary>
    public async Task<Dictionary<int, IReadOnlyList<QueueItem>>> ReadAsync(IReadOnlyCollection<CustomerAnalysis> entries, string key, CancellationToken ct)
    {
        var result = new Dictionary<int, IReadOnlyList<QueueItem>>();
        if (entries.Count == 0) return result;
        var wanted = entries.ToDictionary(e => e.CustomerId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Every row with this key in one pass (a few thousand customers): cheaper than an IN list of their ids.
        var rows = db.ForecastSnapshots.AsNoTracking().Where(s => s.Key == key)
            .Select(s => new { s.CustomerId, s.StampVersion, s.Sessions, s.Payload }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (!wanted.TryGetValue(row.CustomerId, out var entry)) continue;
            if (row.StampVersion != entry.Stamp.Version || row.Sessions != Sessions(entry)) continue;
            result[row.CustomerId] = JsonSerializer.Deserialize<List<QueueItem>>(row.Payload, Json) ?? [];
        }
        return result;
    }

    /// <summary>
    /// Persists freshly computed rows. Each is written only if the customer's stamp is still the version it was
    /// computed under, in the same statement (a stamp bumped meanwhile means the rows describe data that may be withheld).
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<(CustomerAnalysis Entry, IReadOnlyList<QueueItem> Items)> computed, string key, long nowUnixMs, CancellationToken ct)
    {
        if (computed.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (entry, items) in computed)
        {
            var customerId = entry.CustomerId;
            var version = entry.Stamp.Version;
            var sessions = Sessions(entry);
            var payload = JsonSerializer.SerializeToUtf8Bytes(items, Json);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ForecastSnapshots" ("CustomerId", "StampVersion", "Sessions", "Key", "Payload", "ComputedAtUnixMs")
                SELECT {customerId}, {version}, {sessions}, {key}, {payload}, {nowUnixMs}
                WHERE EXISTS (SELECT 1 FROM "DataStamps" WHERE "CustomerId" = {customerId} AND "Version" = {version})
                ON CONFLICT ("CustomerId") DO UPDATE SET "StampVersion" = excluded."StampVersion", "Sessions" = excluded."Sessions",
                    "Key" = excluded."Key", "Payload" = excluded."Payload", "ComputedAtUnixMs" = excluded."ComputedAtUnixMs"
                """, ct);
        }
        await tx.CommitAsync(ct);
    }
}
