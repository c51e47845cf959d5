using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
}

/// <summary>The result of re-deriving the hash chain.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenId, string? Reason)
{
    public override string ToString() => Intact
        ? $"audit chain intact: {Entries} entries"
        : $"audit chain broken at entry #{FirstBrokenId}: {Reason} ({Entries} entries checked)";
}

/// <summary>
/// Appends to the hash-chained audit trail and verifies it. Appends take SQLite's write lock (BEGIN IMMEDIATE) to read
/// the last hash and insert after it, so the web app and a CLI run at the same time still form one chain.
/// <para>
/// Within the process, appends are group-committed: each caller queues its event and waits until it is durable; whoever
/// holds the gate writes every queued event in one transaction (one chain read, one commit, one sync). Under load that
/// is one write per batch instead of one per page view, and callers wait on a semaphore instead of polling SQLite's
/// busy handler. A caller returns only once its own entry is committed, or with the error that stopped it.
/// </para>
/// </summary>
public sealed class AuditLog(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<(AuditEvent Event, TaskCompletionSource Done)> _pending = new();

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
                    await WriteAsync(batch.Select(b => b.Event).ToList(), CancellationToken.None);
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

    private async Task WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        using var tx = connection.BeginTransaction(deferred: false);
        string previous;
        long id;
        using (var last = connection.CreateCommand())
        {
            last.Transaction = tx;
            last.CommandText = "SELECT Id, Hash FROM AuditEntries ORDER BY Id DESC LIMIT 1;";
            using var reader = await last.ExecuteReaderAsync(ct);
            (id, previous) = await reader.ReadAsync(ct) ? (reader.GetInt64(0) + 1, reader.GetString(1)) : (1L, Genesis);
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO AuditEntries (Id, At, UserId, UserName, Roles, Action, CustomerId, Target, Details, PreviousHash, Hash)
            VALUES ($id, $at, $uid, $user, $roles, $action, $customer, $target, $details, $prev, $hash);
            """;
        foreach (var e in events)
        {
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
            insert.Parameters.AddWithValue("$id", entry.Id);
            insert.Parameters.AddWithValue("$at", DateTimeOffsetStorage.ToProvider(entry.At));
            insert.Parameters.AddWithValue("$uid", (object?)entry.UserId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$user", entry.UserName);
            insert.Parameters.AddWithValue("$roles", entry.Roles);
            insert.Parameters.AddWithValue("$action", entry.Action);
            insert.Parameters.AddWithValue("$customer", (object?)entry.CustomerId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$target", entry.Target);
            insert.Parameters.AddWithValue("$details", (object?)entry.Details ?? DBNull.Value);
            insert.Parameters.AddWithValue("$prev", entry.PreviousHash);
            insert.Parameters.AddWithValue("$hash", entry.Hash);
            await insert.ExecuteNonQueryAsync(ct);
        }
        tx.Commit();
    }

    /// <summary>Walks the whole trail in id order, re-deriving every hash; names the first entry that does not fit.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var previous = Genesis;
        var expectedId = 1L;
        long count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (entry.Id != expectedId)
            {
                return new AuditVerification(false, count, entry.Id, $"entry #{expectedId} is missing");
            }
            if (entry.PreviousHash != previous)
            {
                return new AuditVerification(false, count, entry.Id, "it does not point to the hash of the entry before it");
            }
            if (HashOf(entry) != entry.Hash)
            {
                return new AuditVerification(false, count, entry.Id, "its content does not match its hash (the row was edited)");
            }
            previous = entry.Hash;
            expectedId++;
        }
        return new AuditVerification(true, count, null, null);
    }

    /// <summary>SHA-256 over the previous hash and every field, each length-prefixed so no two contents collide by concatenation.</summary>
    internal static string HashOf(AuditEntry e)
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
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
