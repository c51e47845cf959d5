using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Compliance;

/// <summary>Who did what, as the audit trail records it.</summary>
public sealed record AuditEvent(string? UserId, string UserName, string Roles, string Action, string Target, int? CustomerId = null, string? Details = null)
{
    /// <summary>The event for a signed-in user or API client: their id, name and roles as the claims say (the AA's machine role included).</summary>
    public static AuditEvent For(System.Security.Claims.ClaimsPrincipal user, string action, string target, int? customerId = null, string? details = null) =>
        new(user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, user.Identity?.Name ?? "unknown",
            string.Join(',', Msme.Portal.Features.Api.ApiRoles.All.Where(user.IsInRole)), action, target, customerId, details);

    /// <summary>The longest user name (attempted or real) the trail keeps; longer ones are cut and marked.</summary>
    public const int MaxUserName = 256;
    public const int MaxTarget = 1024;
    public const int MaxDetails = 4000;

    /// <summary>
    /// Every field bounded and without control characters: whatever a visitor types (a sign-in name, a URL) reaches
    /// the trail at most this long, on one line, and a cut field ends with its full length.
    /// </summary>
    public AuditEvent Normalised() => this with
    {
        UserId = UserId is null ? null : Bound(UserId, 128),
        UserName = Bound(UserName, MaxUserName),
        Roles = Bound(Roles, 256),
        Action = Bound(Action, 64),
        Target = Bound(Target, MaxTarget),
        Details = Details is null ? null : Bound(Details, MaxDetails),
    };

    internal static string Bound(string text, int max)
    {
        var clean = text.Any(char.IsControl) ? string.Concat(text.Where(ch => !char.IsControl(ch))) : text;
        if (clean.Length <= max)
        {
            return clean;
        }
        var marker = string.Create(CultureInfo.InvariantCulture, $"…({clean.Length} chars)");
        var keep = max - marker.Length;
        // Never cut a surrogate pair in half: the half would not encode.
        if (char.IsHighSurrogate(clean[keep - 1]))
        {
            keep--;
        }
        return clean[..keep] + marker;
    }
}

/// <summary>The result of re-deriving the hash chain and checking it against the signed checkpoints.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenId, string? Reason, int Checkpoints = 0)
{
    public override string ToString() => Intact
        ? $"audit chain intact: {Entries} entries, {Checkpoints} checkpoints"
        : FirstBrokenId is { } id
            ? $"audit chain broken at entry #{id}: {Reason} ({Entries} entries checked)"
            : $"audit chain broken: {Reason} ({Entries} entries checked)";
}

/// <summary>
/// Appends to the keyed, hash-chained audit trail and verifies it. Each entry's hash is HMAC-SHA256 (key in
/// <see cref="AuditKey"/>, a file outside the database) over its content and the previous hash; signed checkpoints of
/// the tail go to <see cref="AuditCheckpointFile"/>, also outside the database. Appends take the store's append lock
/// (<see cref="Data.Store.IStoreLocks"/>: SQLite's write lock, a PostgreSQL advisory lock) to read the last hash and
/// insert after it, so the web app, a CLI run and other instances at the same time still form one chain; triggers in
/// the schema refuse UPDATE and DELETE on the table.
/// <para>
/// Two ways to append. <see cref="AppendAsync(AuditEvent, CancellationToken)"/> is group-committed: each caller queues
/// its event and waits until it is durable; whoever holds the gate writes every queued event in one transaction.
/// <see cref="AppendAsync(ApplicationDbContext, AuditEvent, CancellationToken)"/> writes inside the caller's open
/// transaction, so a change and its entry commit together or not at all.
/// </para>
/// </summary>
public sealed class AuditLog(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock, AuditKey key, AuditCheckpointFile checkpoints,
    Data.Store.IStoreLocks locks, Msme.Portal.Hosting.MsmeMetrics? metrics = null)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly Msme.Portal.Hosting.MsmeMetrics _metrics = metrics ?? Msme.Portal.Hosting.MsmeMetrics.Detached;

    /// <summary>The store's locks, for audited changes that must be serialised as their entries are (a consent's status).</summary>
    internal Data.Store.IStoreLocks Locks => locks;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<(AuditEvent Event, TaskCompletionSource Done)> _pending = new();
    private readonly SemaphoreSlim _keyReady = new(1, 1);
    private bool _keyChecked;
    private (long LastId, string Hash)? _lastCheckpoint;

    public async Task AppendAsync(AuditEvent e, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((e, done));
        // Not cancellable once queued: the event may already be in another caller's batch, and an audit entry is
        // written even when the request that caused it is abandoned.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!done.Task.IsCompleted)
            {
                var batch = new List<(AuditEvent Event, TaskCompletionSource Done)>();
                while (_pending.TryDequeue(out var item))
                {
                    batch.Add(item);
                }
                try
                {
                    var started = Msme.Portal.Hosting.MsmeMetrics.Start();
                    await WriteAsync(batch.Select(b => b.Event).ToList(), CancellationToken.None);
                    _metrics.AuditAppended(batch.Count, Msme.Portal.Hosting.MsmeMetrics.Since(started));
                    batch.ForEach(b => b.Done.TrySetResult());
                }
                catch (Exception error)
                {
                    batch.ForEach(b => b.Done.TrySetException(error));
                }
            }
        }
        finally
        {
            _gate.Release();
        }
        await done.Task;
    }

    /// <summary>
    /// Appends inside the transaction <paramref name="db"/> has open (begun with BeginTransactionAsync, which on SQLite
    /// takes the write lock at once; on PostgreSQL the append lock is taken here, until that transaction ends): the entry
    /// commits with the change it records, or neither does.
    /// </summary>
    public async Task AppendAsync(ApplicationDbContext db, AuditEvent e, CancellationToken ct = default)
    {
        var tx = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("AppendAsync(db, ...) needs the caller's open transaction; use AppendAsync(event) otherwise.");
        var started = Msme.Portal.Hosting.MsmeMetrics.Start();
        var connection = db.Database.GetDbConnection();
        await locks.EnterAsync(connection, tx, ct);
        await InsertAsync(connection, tx, [e], ct);
        _metrics.AuditAppended(1, Msme.Portal.Hosting.MsmeMetrics.Since(started));
    }

    private async Task WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using var tx = await locks.BeginAsync(connection, ct);
        await InsertAsync(connection, tx, events, ct);
        await tx.CommitAsync(ct);
    }

    private async Task InsertAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditEvent> events, CancellationToken ct)
    {
        var (id, previous, count) = await TailAsync(connection, tx, ct);
        await EnsureKeyAsync(id, previous, count);
        id++;
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO "AuditEntries" ("Id", "At", "UserId", "UserName", "Roles", "Action", "CustomerId", "Target", "Details", "PreviousHash", "Hash")
            VALUES (@id, @at, @uid, @user, @roles, @action, @customer, @target, @details, @prev, @hash);
            """;
        foreach (var raw in events)
        {
            var e = raw.Normalised();
            var entry = new AuditEntry
            {
                Id = id++,
                At = clock.GetUtcNow(),
                UserId = e.UserId,
                UserName = e.UserName,
                Roles = e.Roles,
                Action = e.Action,
                CustomerId = e.CustomerId,
                Target = e.Target,
                Details = e.Details,
                PreviousHash = previous,
                Hash = "",
            };
            entry.Hash = HashOf(entry);
            previous = entry.Hash;
            insert.Parameters.Clear();
            Add(insert, "@id", entry.Id);
            Add(insert, "@at", DateTimeOffsetStorage.ToProvider(entry.At));
            Add(insert, "@uid", (object?)entry.UserId ?? DBNull.Value);
            Add(insert, "@user", entry.UserName);
            Add(insert, "@roles", entry.Roles);
            Add(insert, "@action", entry.Action);
            Add(insert, "@customer", (object?)entry.CustomerId ?? DBNull.Value);
            Add(insert, "@target", entry.Target);
            Add(insert, "@details", (object?)entry.Details ?? DBNull.Value);
            Add(insert, "@prev", entry.PreviousHash);
            Add(insert, "@hash", entry.Hash);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The last entry's id and hash (0 and the genesis hash for an empty trail) and the number of entries.</summary>
    private static async Task<(long LastId, string Hash, long Count)> TailAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var last = connection.CreateCommand();
        last.Transaction = tx;
        last.CommandText = """SELECT "Id", "Hash", (SELECT COUNT(*) FROM "AuditEntries") FROM "AuditEntries" ORDER BY "Id" DESC LIMIT 1;""";
        using var reader = await last.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : (0L, Genesis, 0L);
    }

    /// <summary>
    /// On the store's first keyed write: when the key is new and the trail already holds unkeyed (SHA-256) entries,
    /// a legacy checkpoint signs their tail, so they stay verifiable and cannot be rewritten either.
    /// </summary>
    private async Task EnsureKeyAsync(long lastId, string hash, long count)
    {
        if (_keyChecked)
        {
            return;
        }
        await _keyReady.WaitAsync();
        try
        {
            if (!_keyChecked)
            {
                if (key.TakeCreation() && count > 0)
                {
                    checkpoints.Append(Sign(new AuditCheckpoint(lastId, hash, count, clock.GetUtcNow().ToUniversalTime(), Legacy: true, "")));
                }
                _keyChecked = true;
            }
        }
        finally
        {
            _keyReady.Release();
        }
    }

    private AuditCheckpoint Sign(AuditCheckpoint c) => c with { Mac = key.Mac(c.Signed()) };

    /// <summary>
    /// Appends a signed checkpoint of the trail's tail (last id, its hash, the count, the time) to the checkpoint file,
    /// unless the tail has not moved since this process's last one. Returns the checkpoint written, or null.
    /// </summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        // One statement reads the tail and the count together: consistent without a transaction (and no write lock).
        var (lastId, hash, count) = await TailAsync(db.Database.GetDbConnection(), null, ct);
        await EnsureKeyAsync(lastId, hash, count);
        if (count == 0 || _lastCheckpoint == (lastId, hash))
        {
            return null;
        }
        var checkpoint = Sign(new AuditCheckpoint(lastId, hash, count, clock.GetUtcNow().ToUniversalTime(), Legacy: false, ""));
        checkpoints.Append(checkpoint);
        _lastCheckpoint = (lastId, hash);
        return checkpoint;
    }

    /// <summary>
    /// Walks the whole trail in id order, re-deriving every keyed hash, then checks it against every signed checkpoint.
    /// Names what is wrong: an edited row, a chain rewritten without the key, a missing entry, a tail truncated after a
    /// checkpoint, a checkpoint that is not signed by the key.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var (tailId, tailHash, tailCount) = await TailAsync(db.Database.GetDbConnection(), null, ct);
        // A legacy trail met by a new key is adopted (signed) before it is checked, exactly as on its first keyed write.
        await EnsureKeyAsync(tailId, tailHash, tailCount);
        var lines = checkpoints.ReadAll();
        foreach (var (line, c) in lines)
        {
            if (c is null || key.Mac(c.Signed()) != c.Mac)
            {
                return new AuditVerification(false, 0, null, $"checkpoint line {line} of {checkpoints.Path} is not signed by the audit key (edited or forged)", lines.Count);
            }
        }
        var signed = lines.Select(l => l.Checkpoint!).ToList();
        // Entries up to the legacy checkpoint were written before the key existed: unkeyed SHA-256, anchored by it.
        var legacyUpTo = signed.FirstOrDefault(c => c.Legacy)?.LastId ?? 0;
        var atCheckpoint = signed.GroupBy(c => c.LastId).ToDictionary(g => g.Key, g => g.ToList());

        var previous = Genesis;
        var expectedId = 1L;
        long count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (entry.Id != expectedId)
            {
                return new AuditVerification(false, count, entry.Id, $"entry #{expectedId} is missing", signed.Count);
            }
            if (entry.PreviousHash != previous)
            {
                return new AuditVerification(false, count, entry.Id, "it does not point to the hash of the entry before it", signed.Count);
            }
            var keyed = entry.Id > legacyUpTo;
            if ((keyed ? HashOf(entry) : UnkeyedHashOf(entry)) != entry.Hash)
            {
                return new AuditVerification(false, count, entry.Id, keyed && UnkeyedHashOf(entry) == entry.Hash
                    ? "its hash is a plain SHA-256, not keyed with the audit key: the chain was rewritten from here by someone without the key"
                    : "its content does not match its hash (the row was edited)", signed.Count);
            }
            if (atCheckpoint.TryGetValue(entry.Id, out var seen) && seen.FirstOrDefault(c => c.Hash != entry.Hash) is { } differs)
            {
                return new AuditVerification(false, count, entry.Id,
                    $"its hash differs from the checkpoint of {differs.Time:O} (the chain was rewritten after that checkpoint was signed)", signed.Count);
            }
            previous = entry.Hash;
            expectedId++;
        }
        if (signed.OrderByDescending(c => c.LastId).FirstOrDefault(c => c.LastId > count || c.Count > count) is { } beyond)
        {
            return new AuditVerification(false, count, count + 1,
                $"the tail was truncated: the checkpoint of {beyond.Time:O} saw {beyond.Count} entries up to #{beyond.LastId}, the trail now ends at #{count}",
                signed.Count);
        }
        return new AuditVerification(true, count, null, null, signed.Count);
    }

    /// <summary>HMAC-SHA256 with the audit key over the previous hash and every field, each length-prefixed so no two contents collide by concatenation.</summary>
    internal string HashOf(AuditEntry e) => key.Mac(Canonical(e));

    /// <summary>The unkeyed SHA-256 of the same text: how entries were hashed before the key, and how a forger without the key would.</summary>
    internal static string UnkeyedHashOf(AuditEntry e) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    private static string Canonical(AuditEntry e)
    {
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), e.UserId,
            e.UserName, e.Roles, e.Action, e.CustomerId?.ToString(CultureInfo.InvariantCulture), e.Target, e.Details, e.PreviousHash,
        })
        {
            text.Append(field?.Length.ToString(CultureInfo.InvariantCulture) ?? "-").Append(':').Append(field).Append('|');
        }
        return text.ToString();
    }
}

/// <summary>Signs a checkpoint of the audit trail's tail at intervals on the app's clock, and once more on shutdown.</summary>
public sealed class AuditCheckpointWorker(AuditLog audit, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Msme.Portal.Hosting.MsmeOptions> options,
    ILogger<AuditCheckpointWorker> log, Msme.Portal.Hosting.JobHeartbeats? heartbeats = null) : BackgroundService
{
    public const string JobName = "audit-checkpoint";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(Math.Max(1, options.Value.Audit.CheckpointIntervalMinutes));
        using var beat = heartbeats?.Start(JobName, interval);
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
                beat?.Beat();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: not a job that died.
            beat?.Complete();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await CheckpointAsync(CancellationToken.None);
    }

    private async Task CheckpointAsync(CancellationToken ct)
    {
        try
        {
            if (await audit.CheckpointAsync(ct) is { } c)
            {
                log.LogInformation("Audit checkpoint: #{LastId}, {Count} entries", c.LastId, c.Count);
            }
        }
        catch (ObjectDisposedException)
        {
            // The host was disposed without being stopped (a test or benchmark host torn down): its services are gone,
            // and the entries since the last checkpoint are anchored by the next instance that runs this worker.
            log.LogWarning("Audit checkpoint skipped: the host's services were disposed before it stopped");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Audit checkpoint failed");
        }
    }
}
