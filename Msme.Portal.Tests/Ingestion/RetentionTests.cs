using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Msme.Portal.Data;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Ingestion;

/// <summary>Payload files never outlive their rows; the purge scrubs everything the AA data brought, one session at a time.</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);
    private TestStore _store = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-retention-");

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync(new DateTimeOffset(2026, 11, 1, 10, 0, 0, Ist));

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private PayloadStore Payloads => _store.Services.GetRequiredService<PayloadStore>();

    private PurgeService Purge => _store.Services.GetRequiredService<PurgeService>();

    private string PayloadRoot => Path.Combine(_store.Directory, "payloads");

    /// <summary>Every file under the payload folder, spool included.</summary>
    private List<string> PayloadFiles() => Directory.Exists(PayloadRoot)
        ? [.. Directory.EnumerateFiles(PayloadRoot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(PayloadRoot, f)).Order()]
        : [];

    /// <summary>A folder bundle of the Setu sandbox sample for one customer, fetched when given, under a consent of the given DataLife.</summary>
    private string Bundle(string customer, DateTimeOffset fetchedAt, string lifeUnit = "YEAR", int lifeValue = 1, string? sessionId = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.FullName, $"{customer}-{Guid.NewGuid():N}"[..20])).FullName;
        File.Copy(TestConsents.Sample("setu_sandbox_deposit_3accounts_scrubbed.json"), Path.Combine(folder, "fi-1.json"));
        File.Copy(TestConsents.Write(_work.FullName, customer + "@onemoney", "104", lifeUnit, lifeValue), Path.Combine(folder, "consent.json"));
        var manifest = new JsonObject
        {
            ["bundleVersion"] = 1,
            ["customer"] = new JsonObject { ["aaHandle"] = customer + "@onemoney", ["legalName"] = customer + " Traders", ["pan"] = "AAACA1234F", ["udyam"] = "UDYAM-MH-01-0000001" },
            ["fetchSession"] = new JsonObject
            {
                ["sessionId"] = sessionId ?? Guid.NewGuid().ToString("N"), ["fipId"] = "FIP-" + customer, ["fetchedAt"] = fetchedAt.ToString("O"),
                ["rangeFrom"] = "2021-01-01T00:00:00+05:30", ["rangeTo"] = "2021-09-30T23:59:59+05:30", ["status"] = "COMPLETED",
            },
            ["consent"] = "consent.json",
            ["documents"] = new JsonArray("fi-1.json"),
        };
        File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
        return folder;
    }

    [Fact]
    public async Task A_rejected_bundle_leaves_no_payload_file_behind()
    {
        var broken = Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "bundle-transaction-outside-consent-range");

        var outcome = await _store.Importer.ImportAsync(broken, null, "test");

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        Assert.Empty(PayloadFiles());
    }

    [Fact]
    public async Task An_imported_bundle_promotes_exactly_the_files_its_rows_name_and_leaves_no_spool()
    {
        var outcome = await _store.Importer.ImportAsync(Bundle("acme", _store.Clock.GetUtcNow().AddDays(-1)), null, "test");

        Assert.Equal(ImportStatus.Imported, outcome.Status);
        await using var db = await _store.DbAsync();
        var named = await db.RawPayloads.Select(p => p.Sha256).ToListAsync();
        Assert.Equal(3, named.Count);
        Assert.Equal(named.Select(h => Path.Combine(h[..2], h + ".bin")).Order(), PayloadFiles());
    }

    [Fact]
    public async Task The_start_up_sweep_deletes_orphans_and_crashed_spools_promotes_committed_files_and_spares_a_live_spool()
    {
        await _store.Importer.ImportAsync(Bundle("acme", _store.Clock.GetUtcNow().AddDays(-1)), null, "test");
        await using var db = await _store.DbAsync();
        var manifest = await db.RawPayloads.Where(p => p.Role == "manifest").Select(p => p.Sha256).SingleAsync();
        var kept = PayloadFiles().Where(f => !f.Contains(manifest, StringComparison.Ordinal)).ToList();
        // An orphan (no row names it), a temp file of an interrupted copy, and a crashed import's spool holding the
        // committed manifest (the crash came between commit and promotion) and a rejected bundle's file.
        var orphan = Payloads.PathOf(new string('a', 64));
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllTextAsync(orphan, "nobody's");
        await File.WriteAllTextAsync(orphan + ".1234.tmp", "half");
        var crashed = Directory.CreateDirectory(Path.Combine(Payloads.SpoolRoot, "crashed")).FullName;
        File.Move(Payloads.PathOf(manifest), Path.Combine(crashed, manifest + ".bin"));
        await File.WriteAllTextAsync(Path.Combine(crashed, new string('b', 64) + ".bin"), "rejected bundle's bytes");
        await File.WriteAllTextAsync(Path.Combine(crashed, ".lock"), "");
        using var live = Payloads.OpenSpool();
        await File.WriteAllTextAsync(Path.Combine(live.Folder, new string('c', 64) + ".bin"), "being imported");

        await _store.Services.MigrateDatabaseAsync();

        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(orphan + ".1234.tmp"));
        Assert.False(Directory.Exists(crashed));
        Assert.True(File.Exists(Payloads.PathOf(manifest)));
        Assert.True(File.Exists(Path.Combine(live.Folder, new string('c', 64) + ".bin")));
        Assert.All(kept, f => Assert.True(File.Exists(Path.Combine(PayloadRoot, f)), f));
    }

    [Fact]
    public async Task An_import_is_refused_before_writing_anything_when_the_disk_is_short_of_the_configured_minimum()
    {
        var directory = Path.Combine(_work.FullName, "tight-store");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Msme:DataDirectory"] = directory,
            ["Msme:Import:MinFreeDiskBytes"] = (1L << 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(_store.Clock).AddMsmeData(configuration).BuildServiceProvider();
        await services.MigrateDatabaseAsync();

        var outcome = await services.GetRequiredService<BundleImporter>().ImportAsync(Bundle("acme", _store.Clock.GetUtcNow().AddDays(-1)), null, "test");

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("disk", error.Path);
        Assert.Contains("not enough free disk space", error.Message, StringComparison.Ordinal);
        Assert.Contains("Msme:Import:MinFreeDiskBytes", error.Message, StringComparison.Ordinal);
        await using var db = await services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.FetchSessions.CountAsync());
        Assert.False(Directory.Exists(Path.Combine(directory, "payloads")));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task DataLife_runs_from_the_import_when_the_fetch_claims_a_later_time()
    {
        // Fetched "4 minutes from now" (inside the clock skew allowed), DataLife 1 day: it ends a day after the import.
        var imported = _store.Clock.GetUtcNow();
        Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(Bundle("acme", imported.AddMinutes(4), "DAY", 1), null, "test")).Status);

        _store.Clock.Advance(TimeSpan.FromDays(1).Add(TimeSpan.FromMinutes(1)));
        var result = await Purge.PurgeAsync();

        Assert.Equal(1, result.SessionsPurged);
        await using var db = await _store.DbAsync();
        Assert.Equal(0, await db.Transactions.CountAsync());
    }

    [Fact]
    public async Task Once_nothing_is_held_the_purge_scrubs_account_summaries_holders_and_the_customer_profile()
    {
        await _store.Importer.ImportAsync(Bundle("acme", _store.Clock.GetUtcNow().AddDays(-1), "MONTH", 6), null, "test");
        await using (var before = await _store.DbAsync())
        {
            Assert.All(await before.Accounts.ToListAsync(), a => Assert.NotNull(a.CurrentBalancePaise));
            Assert.Equal("AAACA1234F", (await before.Customers.SingleAsync()).Pan);
        }
        Assert.Equal(0, await Purge.OverdueAsync());
        _store.Clock.Advance(TimeSpan.FromDays(200));
        Assert.Equal(1, await Purge.OverdueAsync());

        var result = await Purge.PurgeAsync();

        Assert.Equal((1, 3, 0), (result.SessionsPurged, result.AccountsScrubbed, result.SessionsFailed));
        Assert.Equal(0, await Purge.OverdueAsync());
        await using var db = await _store.DbAsync();
        Assert.All(await db.Accounts.ToListAsync(), a =>
        {
            Assert.Equal("[]", a.HoldersJson);
            Assert.Null(a.CurrentBalancePaise);
            Assert.Null(a.BalanceDateTime);
            Assert.Null(a.Ifsc);
            Assert.Null(a.Branch);
            Assert.Null(a.HoldingType);
            Assert.Null(a.OpeningDate);
            Assert.False(string.IsNullOrEmpty(a.MaskedAccNumber));
        });
        var customer = await db.Customers.SingleAsync();
        Assert.Equal((null, null), (customer.Pan, customer.Udyam));
        Assert.Equal(("acme@onemoney", "acme Traders"), (customer.AaHandle, customer.LegalName));
    }

    [Fact]
    public async Task The_customer_profile_stays_while_another_session_still_holds_data()
    {
        var now = _store.Clock.GetUtcNow();
        await _store.Importer.ImportAsync(Bundle("acme", now.AddDays(-1), "MONTH", 1), null, "test");
        // A second consent (another DataLife, so another artefact) and session for the same accounts.
        var second = Bundle("acme", now.AddDays(-1), "YEAR", 1);
        Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(second, null, "test")).Status);
        _store.Clock.Advance(TimeSpan.FromDays(40));

        var result = await Purge.PurgeAsync();

        Assert.Equal(1, result.SessionsPurged);
        await using var db = await _store.DbAsync();
        Assert.Equal("AAACA1234F", (await db.Customers.SingleAsync()).Pan);
    }

    [Fact]
    public async Task One_failing_session_does_not_stop_the_run_and_is_purged_on_the_next()
    {
        var now = _store.Clock.GetUtcNow();
        foreach (var customer in new[] { "acme", "bharat", "chola" })
        {
            Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(Bundle(customer, now.AddDays(-1), "DAY", 10), null, "test")).Status);
        }
        int failing;
        await using (var db = await _store.DbAsync())
        {
            failing = await db.FetchSessions.Where(s => s.Consent!.Customer!.AaHandle == "bharat@onemoney").Select(s => s.Id).SingleAsync();
            // An injected failure inside the session's transaction: SQLite refuses to delete its rows.
            // DDL takes no parameters; the id is an integer read from the store.
            var trigger = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"CREATE TRIGGER inject_purge_failure BEFORE DELETE ON Transactions WHEN OLD.FetchSessionId = {failing} BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
            await db.Database.ExecuteSqlRawAsync(trigger);
        }
        _store.Clock.Advance(TimeSpan.FromDays(11));

        var first = await Purge.PurgeAsync();

        Assert.Equal((2, 1), (first.SessionsPurged, first.SessionsFailed));
        Assert.Equal(1, await Purge.OverdueAsync());
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(671, await db.Transactions.CountAsync());
            Assert.True(await db.Transactions.AllAsync(t => t.FetchSessionId == failing));
            var stuck = await db.FetchSessions.SingleAsync(s => s.Id == failing);
            Assert.Null(stuck.PurgedAt);
            Assert.Contains(await db.AuditEntries.Where(e => e.Action == "purge-failed").Select(e => e.Details).ToListAsync(),
                d => d!.Contains("injected failure", StringComparison.Ordinal));
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER inject_purge_failure;");
        }

        var second = await Purge.PurgeAsync();

        Assert.Equal((1, 0), (second.SessionsPurged, second.SessionsFailed));
        await using var after = await _store.DbAsync();
        Assert.Equal(0, await after.Transactions.CountAsync());
    }

    [Fact]
    public async Task Every_store_connection_has_secure_delete_on()
    {
        await using var db = await _store.DbAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA secure_delete;";

        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_pooled_connection_opened_again_still_has_secure_delete()
    {
        // The interceptor sets the pragma once per native connection; the pool hands it out again, to the same context
        // (pooled too) and to another one while the first is still leased.
        var leased = new List<Msme.Portal.Data.ApplicationDbContext>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var db = await _store.DbAsync();
                if (i % 2 == 0)
                {
                    leased.Add(db);
                }
                await db.Database.OpenConnectionAsync();
                await using (var command = db.Database.GetDbConnection().CreateCommand())
                {
                    command.CommandText = "PRAGMA secure_delete;";
                    Assert.Equal(1L, await command.ExecuteScalarAsync());
                }
                await db.Database.CloseConnectionAsync();
                if (i % 2 == 1)
                {
                    await db.DisposeAsync();
                }
            }
        }
        finally
        {
            foreach (var db in leased)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Opening_a_connection_sets_secure_delete_and_registers_no_function()
    {
        // The merge key's SQL function is the migration's alone (registered on the connection it migrates on;
        // TransactionKeyMigrationTests): registered on every open, as it was, it cost a native callback handle per query
        // (a dozen queries a customer page) for the finalizer thread to free.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        new Msme.Portal.Data.SecureDeleteInterceptor().ConnectionOpened(connection, null!);

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA secure_delete;";
        Assert.Equal(1L, command.ExecuteScalar());
        command.CommandText = $"SELECT {Msme.Portal.Data.TransactionKey.SqliteFunction}('T1');";
        var missing = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => command.ExecuteScalar());
        Assert.Contains("no such function", missing.Message, StringComparison.Ordinal);
    }
}
