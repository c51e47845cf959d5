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
        // An agent's portfolio by its ids; the whole book (an admin, thousands of customers) as every row with this key in
        // one pass, cheaper than an IN list of them all.
        var query = db.ForecastSnapshots.AsNoTracking().Where(s => s.Key == key);
        if (entries.Count <= 1000)
        {
            var ids = wanted.Keys.ToList();
            query = query.Where(s => ids.Contains(s.CustomerId));
        }
        var rows = query.Select(s => new { s.CustomerId, s.StampVersion, s.Sessions, s.Payload }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (!wanted.TryGetValue(row.CustomerId, out var entry)) continue;
            if (row.StampVersion != entry.Stamp.Version || row.Sessions != Sessions(entry)) continue;
            result[row.CustomerId] = JsonSerializer.Deserialize<List<QueueItem>>(row.Payload, Json) ?? [];
        }
        return result;
    }

    /// <summary>
    /// Row 0 holds the fingerprint (<c>ActionEffects.Stamp</c>) of the measured action effects for the inputs they were
    /// measured from (as-of date, global data version, actions whose window closed), so a restarted instance names the
    /// rows' key without reading every instalment of the book. No customer's data is in it.
    /// </summary>
    public const int EffectsRow = 0;

    /// <summary>The effects' fingerprint measured from these inputs, if persisted.</summary>
    public async Task<string?> ReadEffectsAsync(string inputKey, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payload = await db.ForecastSnapshots.AsNoTracking().Where(s => s.CustomerId == EffectsRow && s.Key == inputKey).Select(s => s.Payload).FirstOrDefaultAsync(ct);
        return payload is null ? null : System.Text.Encoding.UTF8.GetString(payload);
    }

    /// <summary>Persists the effects' fingerprint while the global data version it was measured under is still current.</summary>
    public async Task WriteEffectsAsync(string inputKey, long globalVersion, string stamp, CancellationToken ct)
    {
        if (inputKey.Length > 200) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await UpsertAsync(db, EffectsRow, globalVersion, "", inputKey, System.Text.Encoding.UTF8.GetBytes(stamp), 0, ct);
    }

    private static Task<int> UpsertAsync(ApplicationDbContext db, int customerId, long version, string sessions, string key, byte[] payload, long nowUnixMs, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ForecastSnapshots" ("CustomerId", "StampVersion", "Sessions", "Key", "Payload", "ComputedAtUnixMs")
            SELECT {customerId}, {version}, {sessions}, {key}, {payload}, {nowUnixMs}
            WHERE EXISTS (SELECT 1 FROM "DataStamps" WHERE "CustomerId" = {customerId} AND "Version" = {version})
            ON CONFLICT ("CustomerId") DO UPDATE SET "StampVersion" = excluded."StampVersion", "Sessions" = excluded."Sessions",
                "Key" = excluded."Key", "Payload" = excluded."Payload", "ComputedAtUnixMs" = excluded."ComputedAtUnixMs"
            """, ct);

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
            await UpsertAsync(db, entry.CustomerId, entry.Stamp.Version, Sessions(entry), key, JsonSerializer.SerializeToUtf8Bytes(items, Json), nowUnixMs, ct);
        }
        await tx.CommitAsync(ct);
    }
}
