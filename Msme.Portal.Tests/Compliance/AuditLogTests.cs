using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

public class AuditLogTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private TestStore _store = null!;
    private AuditLog _audit = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(provider: Provider);
        _audit = _store.Services.GetRequiredService<AuditLog>();
        for (var i = 1; i <= 5; i++)
        {
            await _audit.AppendAsync(new AuditEvent("u1", "risk@msme.local", "RiskManager", "view", $"/customers/{i}", i, "sections: header,accounts"));
            _store.Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Whoever can write the file can drop the append-only triggers first; the chain must catch them anyway.</summary>
    private string DropTriggers => Provider == TestProvider.PostgreSql
        ? "DROP TRIGGER \"AuditEntries_no_change\" ON \"AuditEntries\"; DROP TRIGGER \"AuditEntries_no_truncate\" ON \"AuditEntries\";"
        : "DROP TRIGGER AuditEntries_no_update; DROP TRIGGER AuditEntries_no_delete;";

    [SkippableFact]
    public async Task An_untouched_trail_verifies()
    {
        var result = await _audit.VerifyAsync();

        Assert.True(result.Intact, result.ToString());
        Assert.Equal(5, result.Entries);
        Assert.Equal("audit chain intact: 5 entries, 0 checkpoints", result.ToString());
    }

    [SkippableFact]
    public async Task Concurrent_appends_from_this_and_another_writer_form_one_intact_chain_with_every_entry()
    {
        // A second instance stands for another process (the CLI): it shares only the database and its write lock.
        var other = new AuditLog(_store.DbFactory, _store.Clock, _store.Services.GetRequiredService<AuditKey>(), _store.Services.GetRequiredService<AuditCheckpointFile>(),
            _store.Services.GetRequiredService<Msme.Portal.Data.Store.IStoreLocks>());

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            (i % 4 == 0 ? other : _audit).AppendAsync(new AuditEvent("u2", "agent1@msme.local", "Agent", "view", $"/customers/{i}/smart-collect", i)))));

        var result = await _audit.VerifyAsync();
        Assert.True(result.Intact, result.ToString());
        Assert.Equal(205, result.Entries);
        await using var db = await _store.DbFactory.CreateDbContextAsync();
        Assert.Equal(200, await db.AuditEntries.CountAsync(e => e.UserName == "agent1@msme.local" && e.Target.EndsWith("/smart-collect")));
        Assert.Equal(200, await db.AuditEntries.Where(e => e.UserName == "agent1@msme.local").Select(e => e.Target).Distinct().CountAsync());
    }

    [SkippableTheory]
    [InlineData("UPDATE \"AuditEntries\" SET \"Details\" = 'sections: header' WHERE \"Id\" = 3;", 3L, "the row was edited")]
    [InlineData("UPDATE \"AuditEntries\" SET \"UserName\" = 'someone@else' WHERE \"Id\" = 1;", 1L, "the row was edited")]
    [InlineData("UPDATE \"AuditEntries\" SET \"At\" = \"At\" + 1 WHERE \"Id\" = 5;", 5L, "the row was edited")]
    [InlineData("DELETE FROM \"AuditEntries\" WHERE \"Id\" = 2;", 3L, "entry #2 is missing")]
    public async Task Any_edit_in_the_database_breaks_the_chain_at_that_row(string tamper, long brokenAt, string reason)
    {
        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(DropTriggers);
            await db.Database.ExecuteSqlRawAsync(tamper);
        }

        var result = await _audit.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(brokenAt, result.FirstBrokenId);
        Assert.Contains(reason, result.Reason);
    }

    [SkippableFact]
    public async Task Recomputing_a_tampered_rows_hash_still_breaks_the_next_link()
    {
        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(DropTriggers);
            var row = await db.AuditEntries.SingleAsync(e => e.Id == 2);
            row.Details = "forged";
            row.Hash = _audit.HashOf(row);
            await db.SaveChangesAsync();
        }

        var result = await _audit.VerifyAsync();

        Assert.Equal(3, result.FirstBrokenId);
        Assert.Contains("does not point to the hash of the entry before it", result.Reason);
    }

    [SkippableTheory]
    [InlineData("UPDATE \"AuditEntries\" SET \"Details\" = 'x' WHERE \"Id\" = 3;", "UPDATE is refused")]
    [InlineData("DELETE FROM \"AuditEntries\" WHERE \"Id\" >= 4;", "DELETE is refused")]
    public async Task The_database_refuses_to_update_or_delete_an_audit_row(string tamper, string refusal)
    {
        await using var db = await _store.DbAsync();

        // SqliteException or PostgresException: the provider's own refusal, raised by the schema's trigger.
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(tamper));

        Assert.Contains(refusal, error.Message);
        Assert.Equal(5, await db.AuditEntries.CountAsync());
        Assert.True((await _audit.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task An_edited_row_with_every_later_hash_recomputed_without_the_key_is_named_as_a_rewritten_chain()
    {
        // The attack of issue 12: edit row 3, then recompute its hash and every later one with SHA-256 as the schema
        // documents it. Without the key the forger cannot produce keyed hashes, and the verifier says so at row 3.
        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(DropTriggers);
            var rows = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
            rows[2].Details = "sections: header";
            for (var i = 2; i < rows.Count; i++)
            {
                rows[i].PreviousHash = rows[i - 1].Hash;
                rows[i].Hash = AuditLog.UnkeyedHashOf(rows[i]);
            }
            await db.SaveChangesAsync();
        }

        var result = await _audit.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenId);
        Assert.Contains("not keyed with the audit key: the chain was rewritten from here", result.Reason);
    }

    [SkippableFact]
    public async Task A_chain_rewritten_with_the_key_after_a_checkpoint_differs_from_the_signed_checkpoint()
    {
        // Even a forger holding the key cannot change what a checkpoint already signed.
        Assert.NotNull(await _audit.CheckpointAsync());
        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(DropTriggers);
            var rows = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
            rows[1].UserName = "someone@else";
            for (var i = 1; i < rows.Count; i++)
            {
                rows[i].PreviousHash = rows[i - 1].Hash;
                rows[i].Hash = _audit.HashOf(rows[i]);
            }
            await db.SaveChangesAsync();
        }

        var result = await _audit.VerifyAsync();

        Assert.Equal(5, result.FirstBrokenId);
        Assert.Contains("differs from the checkpoint of 2026-11-01T04:35:00.0000000+00:00", result.Reason);
    }

    [SkippableFact]
    public async Task A_tail_deleted_after_a_checkpoint_is_named_as_truncated()
    {
        var checkpoint = await _audit.CheckpointAsync();
        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(DropTriggers);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"Id\" >= 4;");
        }

        var result = await _audit.VerifyAsync();

        Assert.Equal((5L, 5L), (checkpoint!.LastId, checkpoint.Count));
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBrokenId);
        Assert.Equal("the tail was truncated: the checkpoint of 2026-11-01T04:35:00.0000000+00:00 saw 5 entries up to #5, the trail now ends at #3", result.Reason);
        Assert.Equal("audit chain broken at entry #4: " + result.Reason + " (3 entries checked)", result.ToString());
    }

    [SkippableFact]
    public async Task An_edited_checkpoint_line_is_named()
    {
        await _audit.CheckpointAsync();
        var file = _store.Services.GetRequiredService<AuditCheckpointFile>().Path;
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"count\":5", "\"count\":3", StringComparison.Ordinal));

        var result = await _audit.VerifyAsync();

        Assert.False(result.Intact);
        Assert.StartsWith("checkpoint line 1 of ", result.Reason);
        Assert.EndsWith("is not signed by the audit key (edited or forged)", result.Reason);
    }

    [SkippableFact]
    public async Task Hashes_are_keyed_and_the_key_and_checkpoints_live_in_files_outside_the_database()
    {
        await _audit.CheckpointAsync();
        var key = _store.Services.GetRequiredService<AuditKey>();
        await using var db = await _store.DbAsync();
        var first = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == 1);

        Assert.Equal(_audit.HashOf(first), first.Hash);
        Assert.NotEqual(AuditLog.UnkeyedHashOf(first), first.Hash);
        Assert.True(File.Exists(key.Path));
        Assert.Equal(Path.Combine(_store.Directory, "audit", "audit.key"), key.Path);
        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(key.Path)).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.Path));
        }
        Assert.Single(await File.ReadAllLinesAsync(_store.Services.GetRequiredService<AuditCheckpointFile>().Path));
        Assert.Equal("audit chain intact: 5 entries, 1 checkpoints", (await _audit.VerifyAsync()).ToString());
    }

    [SkippableFact]
    public async Task The_checkpoint_worker_signs_the_tail_at_its_interval_on_the_apps_clock_and_again_on_shutdown()
    {
        var file = _store.Services.GetRequiredService<AuditCheckpointFile>();
        var worker = new AuditCheckpointWorker(_audit, _store.Clock, _store.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Msme.Portal.Hosting.MsmeOptions>>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditCheckpointWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);

        // ExecuteAsync starts on the thread pool: advance until its timer, once created, has ticked.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (file.ReadAll().Count == 0 && DateTime.UtcNow < deadline)
        {
            _store.Clock.Advance(TimeSpan.FromMinutes(15));
            await Task.Delay(20);
        }
        var afterInterval = file.ReadAll().Count;
        await _audit.AppendAsync(new AuditEvent(null, "cli:ops", "", "export", "export-parquet"));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, afterInterval);
        Assert.Equal([5L, 6L], file.ReadAll().Select(l => l.Checkpoint!.LastId));
        Assert.True((await _audit.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task A_checkpoint_after_the_host_was_disposed_unstopped_is_a_warning_not_an_error()
    {
        // A second store, disposed under the worker: what a test or benchmark host torn down without StopAsync leaves.
        var store = await TestStore.CreateAsync(provider: Provider);
        var audit = store.Services.GetRequiredService<AuditLog>();
        var options = store.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Msme.Portal.Hosting.MsmeOptions>>();
        var logs = new CapturingLoggerProvider();
        using var factory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(logs));
        var worker = new AuditCheckpointWorker(audit, store.Clock, options, factory.CreateLogger<AuditCheckpointWorker>());
        await store.DisposeAsync();

        await worker.StopAsync(CancellationToken.None);

        var entry = Assert.Single(logs.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Contains("skipped", entry.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_trail_written_before_the_key_existed_is_adopted_by_a_signed_legacy_checkpoint_and_stays_verifiable()
    {
        // A store from before keyed hashes: the same entries with unkeyed SHA-256 hashes, and no key or checkpoint yet.
        await using var legacy = await TestStore.CreateAsync(provider: Provider);
        await using (var db = await legacy.DbAsync())
        {
            var previous = AuditLog.Genesis;
            for (var id = 1; id <= 3; id++)
            {
                var row = new Msme.Portal.Data.Entities.AuditEntry
                {
                    Id = id, At = legacy.Clock.GetUtcNow(), UserName = "risk@msme.local", Action = "view", Target = $"/customers/{id}", PreviousHash = previous, Hash = "",
                };
                row.Hash = AuditLog.UnkeyedHashOf(row);
                previous = row.Hash;
                db.AuditEntries.Add(row);
            }
            await db.SaveChangesAsync();
        }
        var audit = legacy.Services.GetRequiredService<AuditLog>();

        await audit.AppendAsync(new AuditEvent(null, "admin@msme.local", "Admin", "view", "/compliance/audit"));
        var result = await audit.VerifyAsync();

        Assert.Equal("audit chain intact: 4 entries, 1 checkpoints", result.ToString());
        var adopted = Assert.Single(legacy.Services.GetRequiredService<AuditCheckpointFile>().ReadAll()).Checkpoint!;
        Assert.Equal((3L, true), (adopted.LastId, adopted.Legacy));
    }

    [SkippableFact]
    public async Task An_entry_appended_inside_a_transaction_commits_with_the_change_or_not_at_all()
    {
        await using (var db = await _store.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await _audit.AppendAsync(db, new AuditEvent("u1", "admin@msme.local", "Admin", "consent-change", "/compliance/consents/1", 1, "rolled back"));
            // The request fails before the commit: the entry must go with the change.
        }
        await using (var db = await _store.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await _audit.AppendAsync(db, new AuditEvent("u1", "admin@msme.local", "Admin", "consent-change", "/compliance/consents/1", 1, "committed"));
            await tx.CommitAsync();
        }

        await using var check = await _store.DbAsync();
        Assert.Equal(["committed"], await check.AuditEntries.Where(e => e.Action == "consent-change").Select(e => e.Details).ToListAsync());
        Assert.True((await _audit.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public void What_reaches_the_trail_is_bounded_and_on_one_line()
    {
        var name = new string('a', 2_000_000) + "@x.in";

        var e = new AuditEvent(null, name, "", "sign-in-failed", "/Account/Login\r\n", Details: "line one\nline two\u0000").Normalised();

        Assert.Equal(AuditEvent.MaxUserName, e.UserName.Length);
        Assert.EndsWith("aaa…(2000005 chars)", e.UserName);
        Assert.Equal("/Account/Login", e.Target);
        Assert.Equal("line oneline two", e.Details);
    }
}

/// <summary>Every case of <see cref="AuditLogTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class AuditLogTestsOnPostgreSql : AuditLogTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
