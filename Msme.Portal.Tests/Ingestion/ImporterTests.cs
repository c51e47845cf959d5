using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Ingestion;

/// <summary>The importer against a real SQLite store: atomic, idempotent, merging, and traceable to consent and session.</summary>
public class ImporterTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private TestStore _store = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-import-tests-");

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync(provider: Provider);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        _work.Delete(recursive: true);
    }

    private static string Aa(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", name);
    private static string Broken(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", name);

    private string WideConsent(string customer = "sample@onemoney") => TestConsents.Write(_work.FullName, customer);

    [SkippableTheory]
    [InlineData("setu_mock_deposit_XXXXXXX123_extract.json", 30)]
    [InlineData("setu_sandbox_deposit_3accounts_scrubbed.json", 30 + 252 + 389)]
    [InlineData("setu_docs_deposit_rebit_v1.1_example.json", 1)]
    [InlineData("setu_docs_deposit_rebit_v2.0.0_example.json", 1)]
    [InlineData("sahamati_fiu-data-governance_transactions.json", 10)]
    public async Task Every_public_sample_imports_under_a_consent(string file, int transactions)
    {
        var outcome = await _store.Importer.ImportAsync(Aa(file), WideConsent(), "test");

        Assert.True(outcome.Status == ImportStatus.Imported, outcome.Summary + "\n" + string.Join("\n", outcome.Issues));
        Assert.Equal(transactions, outcome.TransactionsAdded);
        Assert.Equal(transactions, (await _store.SnapshotAsync()).Transactions);
    }

    [SkippableFact]
    public async Task Malformed_by_design_sample_imports_with_its_warnings_not_silently()
    {
        var outcome = await _store.Importer.ImportAsync(Aa("sahamati_fiu-data-governance_transactions.json"), WideConsent(), "test");

        Assert.Equal(ImportStatus.Imported, outcome.Status);
        Assert.Contains(outcome.Warnings, w => w.Message.Contains("txnID", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("warning", outcome.Summary);
    }

    [SkippableFact]
    public async Task Importing_the_same_bundle_twice_changes_nothing()
    {
        var bundle = DemoBundle(index: 0);
        var first = await _store.Importer.ImportAsync(bundle, null, "test");
        var before = await _store.SnapshotAsync();

        var second = await _store.Importer.ImportAsync(bundle, null, "test");

        Assert.Equal(ImportStatus.Imported, first.Status);
        Assert.Equal(ImportStatus.Unchanged, second.Status);
        Assert.Equal(before, await _store.SnapshotAsync());
    }

    [SkippableFact]
    public async Task An_overlapping_later_fetch_merges_by_account_and_txnid()
    {
        var consent = WideConsent();
        await _store.Importer.ImportAsync(Aa("setu_mock_deposit_XXXXXXX123_extract.json"), consent, "test");

        // The 3-account file contains the same XXXXXXX123 account and its 30 transactions again.
        var later = await _store.Importer.ImportAsync(Aa("setu_sandbox_deposit_3accounts_scrubbed.json"), consent, "test");

        Assert.Equal(ImportStatus.Imported, later.Status);
        Assert.Equal(30, later.TransactionsOverlapping);
        Assert.Equal(252 + 389, later.TransactionsAdded);
        Assert.Equal(30 + 252 + 389, (await _store.SnapshotAsync()).Transactions);
    }

    /// <summary>
    /// Every column of every stored row equals what the reader read, on both of the importer's write paths (rows of new
    /// accounts go straight into the table; a bundle that meets stored accounts is merged through a staging table), with
    /// NULLs, a non-ASCII narration and a character outside the BMP among them. On PostgreSQL the rows travel in a binary
    /// COPY stream the importer encodes itself.
    /// </summary>
    [SkippableFact]
    public async Task Every_column_of_every_row_is_stored_as_read_on_both_write_paths()
    {
        var consent = WideConsent();
        var first = Path.Combine(_work.FullName, "first.json");
        File.WriteAllText(first, File.ReadAllText(Aa("setu_mock_deposit_XXXXXXX123_extract.json"))
            .Replace("UPI/935314560764/getsimpl/simpl@axisbank/Axis Bank", "UPI/₹ भुगतान/Zoë's Café 😀/\\tend")
            .Replace("\"mode\": \"UPI\",", "")
            .Replace("\"reference\": \"RFN00013383\",", "")
            .Replace("\"valueDate\": \"2021-04-01\",", ""));
        var second = Aa("setu_sandbox_deposit_3accounts_scrubbed.json");
        var expected = new Dictionary<(string Account, string TxnId), Msme.Domain.Ingestion.Transaction>();
        foreach (var file in new[] { first, second })
        {
            await using var stream = File.OpenRead(file);
            var read = DepositDocumentReader.ReadAll(stream, Path.GetFileName(file));
            Assert.False(read.HasErrors, string.Join("\n", read.Issues));
            foreach (var account in read.Accounts)
            {
                foreach (var txn in account.Transactions)
                {
                    expected.TryAdd((account.MaskedAccNumber, txn.TxnId), txn);
                }
            }
        }
        Assert.Contains(expected.Values, t => t.Mode is null);
        Assert.Contains(expected.Values, t => t.Reference is null);
        Assert.Contains(expected.Values, t => t.ValueDate is null);

        Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(first, consent, "test")).Status);
        var merged = await _store.Importer.ImportAsync(second, consent, "test");
        Assert.Equal(ImportStatus.Imported, merged.Status);
        Assert.Equal(30, merged.TransactionsOverlapping);

        await using var db = await _store.DbAsync();
        var stored = await db.Transactions.AsNoTracking()
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { a.MaskedAccNumber, Row = t })
            .ToListAsync();
        Assert.Equal(expected.Count, stored.Count);
        foreach (var s in stored)
        {
            var e = expected[(s.MaskedAccNumber, s.Row.TxnId)];
            var r = s.Row;
            Assert.Equal(
                (TransactionSink.TypeText(e.Type), e.Mode, TransactionSink.Paise(e.Amount), TransactionSink.Paise(e.Balance),
                    e.Timestamp.ToUnixTimeMilliseconds(), e.Date, e.ValueDate, e.Narration, e.Reference, e.Position, TransactionKey.Of(e.TxnId)),
                (r.Type, r.Mode, r.AmountPaise, r.BalancePaise, r.TimestampUnixMs, r.Date, r.ValueDate, r.Narration, r.Reference, r.Position, r.TxnKey));
        }
        Assert.Contains(stored, s => s.Row.Narration == "UPI/₹ भुगतान/Zoë's Café 😀/\tend");
    }

    [SkippableFact]
    public async Task Same_txnid_with_a_different_amount_is_a_conflict_and_the_store_is_unchanged()
    {
        var consent = WideConsent();
        await _store.Importer.ImportAsync(Aa("setu_mock_deposit_XXXXXXX123_extract.json"), consent, "test");
        var before = await _store.SnapshotAsync();
        var altered = Path.Combine(_work.FullName, "altered.json");
        // M3258741 is ₹1239 in the statement on file; the later delivery says ₹1293.
        File.WriteAllText(altered, File.ReadAllText(Aa("setu_mock_deposit_XXXXXXX123_extract.json"))
            .Replace("\"amount\": \"1239\"", "\"amount\": \"1293\""));

        var outcome = await _store.Importer.ImportAsync(altered, consent, "test");

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        var conflict = Assert.Single(outcome.Errors);
        Assert.Equal("XXXXXXX123", conflict.Account);
        Assert.Equal("transaction[txnId=M3258741]", conflict.Path);
        Assert.Contains("conflicts with the stored transaction (DEBIT 1239", conflict.Message);
        Assert.Equal(before, await _store.SnapshotAsync());
    }

    [SkippableFact]
    public async Task A_stored_row_with_the_same_merge_key_but_another_txnid_is_a_collision_not_a_merge()
    {
        var consent = WideConsent();
        await _store.Importer.ImportAsync(Aa("setu_mock_deposit_XXXXXXX123_extract.json"), consent, "test");
        // Forge a 64-bit collision: the stored row keeps M3258741's key under another txnId.
        await using (var connection = await _store.OpenOutsideConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """UPDATE "Transactions" SET "TxnId" = 'FORGED-1' WHERE "TxnId" = 'M3258741';""";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        var before = await _store.SnapshotAsync();
        var later = Path.Combine(_work.FullName, "later.json");
        File.WriteAllText(later, File.ReadAllText(Aa("setu_mock_deposit_XXXXXXX123_extract.json")).Replace("\"amount\": \"1239\"", "\"amount\": \"1239.00\""));

        var outcome = await _store.Importer.ImportAsync(later, consent, "test");

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        var collision = Assert.Single(outcome.Errors);
        Assert.Equal("transaction[txnId=M3258741]", collision.Path);
        Assert.Contains("hash collision", collision.Message);
        Assert.Contains("FORGED-1", collision.Message);
        Assert.Equal(before, await _store.SnapshotAsync());
    }

    [SkippableFact]
    public async Task Bundles_parsed_in_parallel_are_written_in_the_order_given()
    {
        var (a, b, c) = (DemoBundle(0), DemoBundle(1), DemoBundle(2));
        var broken = Path.Combine(_work.FullName, "broken-bundle");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "manifest.json"), "{ not json");
        var seen = new List<string>();

        var outcomes = await _store.Importer.ImportManyAsync([a, b, broken, c, a, b], null, "test", o => seen.Add(o.BundleName));

        Assert.Equal([ImportStatus.Imported, ImportStatus.Imported, ImportStatus.Rejected, ImportStatus.Imported, ImportStatus.Unchanged, ImportStatus.Unchanged],
            outcomes.Select(o => o.Status));
        Assert.Equal(outcomes.Select(o => o.BundleName), seen);
        var snapshot = await _store.SnapshotAsync();
        Assert.Equal(outcomes.Sum(o => o.TransactionsAdded), snapshot.Transactions);
        Assert.Equal(3, snapshot.Sessions);
    }

    public static TheoryData<string, string> BrokenInputs => new()
    {
        // (file under Fixtures/broken, how it is imported: fi = bare document with a good consent, consent = a good document with this consent, bundle)
        { "fi-truncated.json", "fi" }, { "fi-empty-0-bytes.json", "fi" }, { "fi-whitespace-only.json", "fi" },
        { "fi-amount-object.json", "fi" }, { "fi-amount-boolean.json", "fi" }, { "fi-missing-txnid.json", "fi" },
        { "fi-missing-amount.json", "fi" }, { "fi-missing-timestamp.json", "fi" }, { "fi-missing-type.json", "fi" },
        { "fi-missing-balance.json", "fi" }, { "fi-negative-amount.json", "fi" }, { "fi-non-numeric-amount.json", "fi" },
        { "fi-empty-amount.json", "fi" }, { "fi-impossible-date-feb-30.json", "fi" }, { "fi-impossible-month-13.json", "fi" },
        { "fi-impossible-time.json", "fi" }, { "fi-unreadable-offset.json", "fi" }, { "fi-bad-type.json", "fi" },
        { "fi-duplicate-txnid-different-amount.json", "fi" }, { "fi-missing-masked-number.json", "fi" }, { "fi-no-account.json", "fi" },
        { "fi-still-encrypted.json", "fi" }, { "fi-syntax-missing-colon.json", "fi" }, { "fi-not-json-or-xml.txt", "fi" },
        { "fi-non-utf8.json", "fi" }, { "fi-xml-bad-amount.xml", "fi" }, { "fi-xml-raw-lt-in-attribute.xml", "fi" },
        { "fi-xml-truncated.xml", "fi" },
        { "consent-bad-jws-not-compact.json", "consent" }, { "consent-bad-jws-payload.json", "consent" },
        { "consent-no-customer.json", "consent" }, { "consent-bad-datafilter.json", "consent" }, { "consent-bad-status.json", "consent" },
        { "bundle-consent-other-customer", "bundle" }, { "bundle-consent-revoked", "bundle" }, { "bundle-consent-without-deposit", "bundle" },
        { "bundle-fetch-outside-consent-range", "bundle" }, { "bundle-manifest-missing-fields", "bundle" },
        { "bundle-manifest-names-missing-file", "bundle" }, { "envelope-without-fi.json", "bundle" },
        { "bundle-transaction-outside-consent-range", "bundle" },
    };

    [SkippableTheory]
    [MemberData(nameof(BrokenInputs))]
    public async Task Broken_input_is_rejected_naming_the_file_and_the_store_is_unchanged(string file, string how)
    {
        await _store.Importer.ImportAsync(DemoBundle(index: 1), null, "test");
        var before = await _store.SnapshotAsync();

        var outcome = how switch
        {
            "fi" => await _store.Importer.ImportAsync(Broken(file), WideConsent(), "test"),
            "consent" => await _store.Importer.ImportAsync(Aa("setu_mock_deposit_XXXXXXX123_extract.json"), Broken(file), "test"),
            _ => await _store.Importer.ImportAsync(Broken(file), null, "test"),
        };

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        // The summary names the bundle; the first error names the file that is wrong (the consent, for a bad consent).
        Assert.StartsWith($"rejected {(how == "consent" ? "setu_mock_deposit_XXXXXXX123_extract.json" : file)}", outcome.Summary);
        var named = outcome.Errors.First().File;
        Assert.True(named == file || File.Exists(Path.Combine(Broken(file), named)) || named == "manifest.json",
            $"the error names '{named}', which is neither {file} nor a file inside it");
        Assert.Equal(before, await _store.SnapshotAsync());
        await using var db = await _store.DbAsync();
        Assert.Equal("rejected", (await db.ImportRuns.OrderBy(r => r.Id).LastAsync()).Outcome);
    }

    [SkippableFact]
    public async Task Bundles_imported_in_one_batch_each_store_their_rows_under_their_own_session_and_accounts()
    {
        // One batch, one sink: the insert's account and session are bound only when they change, so a stale binding
        // would file one bundle's rows under another's session or account.
        var outcomes = await _store.Importer.ImportManyAsync([DemoBundle(0), DemoBundle(1), DemoBundle(2)], null, "test");
        Assert.All(outcomes, o => Assert.Equal(ImportStatus.Imported, o.Status));

        await using var db = await _store.DbAsync();
        var sessions = await db.FetchSessions.Include(s => s.Consent).ToListAsync();
        Assert.Equal(3, sessions.Count);
        foreach (var session in sessions)
        {
            var rows = db.Transactions.Where(t => t.FetchSessionId == session.Id);
            Assert.Equal(session.TransactionsAdded, await rows.CountAsync());
            Assert.True(session.TransactionsAdded > 0);
            Assert.Equal(0, await rows.CountAsync(t => !db.Accounts.Any(a => a.Id == t.AccountId && a.CustomerId == session.Consent!.CustomerId)));
        }
        var perAccount = await db.Transactions.GroupBy(t => t.AccountId).Select(g => new { g.Key, Sessions = g.Select(t => t.FetchSessionId).Distinct().Count() }).ToListAsync();
        Assert.All(perAccount, a => Assert.Equal(1, a.Sessions));
    }

    [SkippableFact]
    public async Task Every_transaction_traces_to_its_session_and_the_consent_of_its_own_customer()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(DemoBundle(i), null, "test")).Status);
        }

        await using var db = await _store.DbAsync();
        var orphans = await db.Transactions
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { t, a })
            .Where(x => !db.FetchSessions.Any(s => s.Id == x.t.FetchSessionId && s.Consent!.CustomerId == x.a.CustomerId))
            .CountAsync();
        Assert.Equal(0, orphans);
        Assert.True(await db.Transactions.CountAsync() > 100);
        var payloads = _store.Services.GetRequiredService<PayloadStore>();
        Assert.All(await db.RawPayloads.ToListAsync(), p => Assert.Equal(p.Size, new FileInfo(payloads.PathOf(p.Sha256)).Length));
        var sessions = await db.FetchSessions.Include(s => s.Payloads).ToListAsync();
        Assert.All(sessions, s => Assert.Contains(s.Payloads, p => p.Role == "consent"));
    }

    [SkippableFact]
    public async Task Raw_payload_keeps_the_exact_bytes_received()
    {
        var file = Aa("setu_docs_deposit_rebit_v2.0.0_example.json");
        await _store.Importer.ImportAsync(file, WideConsent(), "test");

        await using var db = await _store.DbAsync();
        var payload = await db.RawPayloads.SingleAsync(p => p.Role == "fi");
        var stored = await File.ReadAllBytesAsync(_store.Services.GetRequiredService<PayloadStore>().PathOf(payload.Sha256));
        Assert.Equal(await File.ReadAllBytesAsync(file), stored);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)), payload.Sha256);
    }

    private string DemoBundle(int index)
    {
        var customer = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: index + 1, Months: 4, Seed: 11)).Last();
        var path = Path.Combine(_work.FullName, $"demo-{index}");
        if (!Directory.Exists(path))
        {
            DemoBundleWriter.Write(customer, path);
        }
        return path;
    }
}

/// <summary>Every case of <see cref="ImporterTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ImporterTestsOnPostgreSql : ImporterTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
