using DuckDB.NET.Data;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Consent;
using Msme.Domain.Privacy;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Exports;
using Msme.Portal.Features.Risk;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;
using Parquet;
using Parquet.Schema;

namespace Msme.Portal.Tests.Exports;

/// <summary>
/// The Parquet lake over demo customers imported through the real importer: read back with Parquet.Net and queried
/// with DuckDB, and compared with the store row by row.
/// </summary>
public abstract class LakeExportCases(LakeExportCases.DemoStore demo) : IDisposable
{
    // First, before anything reads the store: without a PostgreSQL server the PostgreSQL cases skip here.
    private readonly bool _available = Available(demo);

    private static bool Available(DemoStore demo)
    {
        Skip.If(demo.SkipReason is not null, demo.SkipReason);
        return true;
    }

    /// <summary>Four demo customers imported once for the class; the first consent is paused, so its customer's data must stay out.</summary>
    public class DemoStore : IAsyncLifetime
    {
        protected virtual TestProvider Provider => TestProvider.Sqlite;

        /// <summary>Why the cases skip (no PostgreSQL server); the fixture itself must not throw, or they would fail.</summary>
        public string? SkipReason { get; private set; }

        public TestStore Store { get; private set; } = null!;
        public int PausedCustomer { get; private set; }
        public ConsentGate Accounts { get; private set; } = null!;
        public RiskService Risk { get; private set; } = null!;
        public LakeExport Lake { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            if (Provider == TestProvider.PostgreSql && TestPostgres.SkipReason is { } reason)
            {
                SkipReason = reason;
                return;
            }
            Store = await TestStore.CreateAsync(provider: Provider);
            await CollectionsData.ImportDemoBundlesAsync(Store, customers: 4, months: 8);
            await using (var db = await Store.DbAsync())
            {
                var consent = await db.Consents.OrderBy(c => c.Id).FirstAsync();
                consent.Status = ConsentStatus.Paused;
                PausedCustomer = consent.CustomerId;
                await db.SaveChangesAsync();
            }
            Accounts = new ConsentGate(Store.DbFactory, new AnalysisCache(), Store.Clock);
            Risk = new RiskService(Store.DbFactory, Accounts, new RiskCache(), Store.Clock);
            Lake = new LakeExport(Store.DbFactory, Accounts, Risk);
        }

        public async Task DisposeAsync()
        {
            if (Store is not null)
            {
                await Store.DisposeAsync();
            }
        }
    }

    private readonly TestStore _store = demo.Store;
    private readonly string _out = Path.Combine(demo.Store?.Directory ?? Path.GetTempPath(), "lake-" + Guid.NewGuid().ToString("N"));
    private readonly LakeExport _lake = demo.Lake;
    private readonly RiskService _risk = demo.Risk;
    private readonly ConsentGate _accounts = demo.Accounts;
    private readonly int _pausedCustomer = demo.PausedCustomer;

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static async Task<List<Dictionary<string, object?>>> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var rows = new List<Dictionary<string, object?>>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var columns = new Dictionary<string, Array>();
            foreach (var field in reader.Schema.DataFields)
            {
                columns[field.Name] = await ReadColumnAsync(group, field, (int)group.RowCount);
            }
            for (var i = 0; i < group.RowCount; i++)
            {
                rows.Add(columns.ToDictionary(c => c.Key, c => c.Value.GetValue(i)));
            }
        }
        return rows;
    }

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count)
    {
        switch (field.ClrType)
        {
            case var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>):
                var s = new string?[count];
                await group.ReadAsync(field, s.AsMemory());
                return s;
            case var t when t == typeof(decimal):
                return field.IsNullable ? await Nullable<decimal>(group, field, count) : await Plain<decimal>(group, field, count);
            case var t when t == typeof(int):
                return field.IsNullable ? await Nullable<int>(group, field, count) : await Plain<int>(group, field, count);
            case var t when t == typeof(bool):
                return await Plain<bool>(group, field, count);
            case var t when t == typeof(DateOnly):
                return field.IsNullable ? await Nullable<DateOnly>(group, field, count) : await Plain<DateOnly>(group, field, count);
            case var t when t == typeof(DateTime):
                return field.IsNullable ? await Nullable<DateTime>(group, field, count) : await Plain<DateTime>(group, field, count);
            default:
                throw new InvalidOperationException($"{field.Name}: {field.ClrType}");
        }
    }

    private static async Task<T[]> Plain<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        var values = new T[count];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values;
    }

    private static async Task<T?[]> Nullable<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values;
    }

    [SkippableFact]
    public async Task Transactions_read_back_one_row_per_usable_stored_transaction_with_exact_amounts_and_lineage()
    {
        var result = await _lake.WriteAsync(_out, DisclosurePolicy.For([Roles.Admin]));

        await using var db = await _store.DbAsync();
        var stored = await (from t in db.Transactions
                            join a in db.Accounts on t.AccountId equals a.Id
                            join s in db.FetchSessions on t.FetchSessionId equals s.Id
                            select new { a.CustomerId, t.AccountId, a.MaskedAccNumber, t.TxnId, t.AmountPaise, t.BalancePaise, t.TimestampUnixMs, t.Narration, s.SessionId, s.Consent!.ConsentId, SessionKey = s.Id })
            .ToListAsync();
        var usable = stored.Where(t => t.CustomerId != _pausedCustomer).ToList();
        var rows = await ReadAsync(Path.Combine(_out, LakeExport.TransactionsFile));

        Assert.NotEmpty(usable);
        Assert.Equal(usable.Count, rows.Count);
        Assert.Equal(usable.Count, result.Transactions);
        Assert.Equal(stored.Count - usable.Count, result.TransactionsWithheld);
        Assert.True(result.TransactionsWithheld > 0);
        Assert.DoesNotContain(rows, r => (int)r["customer_id"]! == _pausedCustomer);
        Assert.Equal(usable.Sum(t => t.AmountPaise) / 100m, rows.Sum(r => (decimal)r["amount"]!));

        var byKey = usable.ToDictionary(t => (t.AccountId, t.TxnId));
        var hashes = await db.RawPayloads.Where(p => p.Role == "fi" || p.Role == "envelope").ToListAsync();
        foreach (var row in rows)
        {
            var t = byKey[((int)row["account_id"]!, (string)row["txn_id"]!)];
            Assert.Equal(t.AmountPaise / 100m, (decimal)row["amount"]!);
            Assert.Equal(t.BalancePaise / 100m, (decimal)row["current_balance"]!);
            Assert.Equal(t.CustomerId, (int)row["customer_id"]!);
            Assert.Equal(t.MaskedAccNumber, row["masked_acc_number"]);
            Assert.Equal(t.ConsentId, row["consent_id"]);
            Assert.Equal(t.SessionId, row["fetch_session_id"]);
            Assert.Equal(t.Narration, row["narration"]);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(t.TimestampUnixMs).UtcDateTime, (DateTime)row["txn_timestamp"]!);
            var sha = Assert.IsType<string>(row["payload_sha256"]);
            Assert.All(sha.Split(' '), h => Assert.Contains(hashes, p => p.Sha256 == h && p.FetchSessionId == t.SessionKey));
            Assert.False(string.IsNullOrEmpty((string?)row["channel"]));
            Assert.False(string.IsNullOrEmpty((string?)row["category"]));
        }
    }

    [SkippableFact]
    public async Task Monthly_rows_are_the_contract_series_per_account_and_the_combined_series_per_customer()
    {
        var result = await _lake.WriteAsync(_out, DisclosurePolicy.For([Roles.Admin]));

        var rows = await ReadAsync(Path.Combine(_out, LakeExport.MonthlyFile));
        var portfolio = await _risk.GetPortfolioAsync();
        var expectedAccountRows = 0;
        foreach (var customer in portfolio.Customers)
        {
            foreach (var stored in await _accounts.LoadCustomerAsync(customer.Figures.CustomerId, DataUse.Underwriting))
            {
                var analysis = CashflowAnalyzer.Analyze(stored.Account);
                var mine = rows.Where(r => (string)r["scope"]! == "account" && (int?)r["account_id"] == stored.AccountId).ToList();
                Assert.Equal(analysis.Monthly.Select(m => m.Month.ToString()), mine.Select(r => (string)r["month"]!));
                Assert.Equal(analysis.Monthly.Select(m => m.Inflow), mine.Select(r => (decimal)r["inflow"]!));
                Assert.Equal(analysis.Monthly.Select(m => m.Outflow), mine.Select(r => (decimal)r["outflow"]!));
                Assert.Equal(analysis.Monthly.Select(m => m.ClosingBalance), mine.Select(r => (decimal)r["closing_balance"]!));
                Assert.Equal(analysis.Monthly.Select(m => m.CreditCount), mine.Select(r => (int)r["credit_count"]!));
                Assert.Equal(analysis.Monthly.Select(m => m.Complete), mine.Select(r => (bool)r["complete"]!));
                expectedAccountRows += analysis.Monthly.Count;
            }
            var combined = rows.Where(r => (string)r["scope"]! == "customer" && (int)r["customer_id"]! == customer.Figures.CustomerId).ToList();
            Assert.Equal(customer.Figures.Monthly.Select(m => m.Net), combined.Select(r => (decimal)r["net"]!));
            Assert.All(combined, r => Assert.Null(r["account_id"]));
        }
        Assert.True(expectedAccountRows > 0);
        Assert.Equal(expectedAccountRows + portfolio.Customers.Sum(c => c.Figures.Monthly.Count), rows.Count);
        Assert.Equal(rows.Count, result.MonthlyRows);
        Assert.DoesNotContain(rows, r => (int)r["customer_id"]! == _pausedCustomer && (string)r["scope"]! == "account");
    }

    [SkippableFact]
    public async Task Anomalies_carry_detector_severity_period_explanation_and_the_review_state()
    {
        var queue = await _risk.QueueAsync(new AnomalyFilter([], [], []), new Reviewer("u", "Risk"), 0, int.MaxValue, null, true);
        Assert.NotEmpty(queue.Items);
        var decided = queue.Items[0];
        await _risk.ReviewAsync(decided, AnomalyReviewState.Dismissed, "seasonal, known", null, new Reviewer("u", "Risk"));

        await _lake.WriteAsync(_out, DisclosurePolicy.For([Roles.Admin]));

        var rows = await ReadAsync(Path.Combine(_out, LakeExport.AnomaliesFile));
        Assert.Equal(queue.TotalItems, rows.Count);
        var row = Assert.Single(rows, r => (string)r["anomaly_key"]! == decided.Key);
        Assert.Equal("Dismissed", row["review_state"]);
        Assert.Equal("seasonal, known", row["review_reason"]);
        Assert.NotNull(row["reviewed_at"]);
        Assert.Equal(string.Join(',', decided.Event.Detectors), row["detector"]);
        Assert.Equal(decided.Event.KindName, row["subject"]);
        Assert.Equal(decided.Event.Severity.ToString(), row["severity"]);
        Assert.Equal(decided.Period, row["period"]);
        Assert.Equal(decided.Event.Amount, (decimal)row["value"]!);
        Assert.Equal(decided.Event.Explanation.Narrative, row["explanation"]);
        Assert.Equal(RiskService.FindingsText(decided.Event), row["findings"]);
        Assert.All(rows.Where(r => (string)r["anomaly_key"]! != decided.Key), r => Assert.Equal("New", r["review_state"]));
    }

    [SkippableFact]
    public async Task Narrations_are_masked_for_a_role_without_counterparties_and_as_received_for_admins()
    {
        var masked = Path.Combine(_out, "masked");
        var full = Path.Combine(_out, "full");

        var result = await _lake.WriteAsync(masked, DisclosurePolicy.For([Roles.Agent]));
        await _lake.WriteAsync(full, DisclosurePolicy.For([Roles.Admin]));

        var maskedRows = await ReadAsync(Path.Combine(masked, LakeExport.TransactionsFile));
        var fullRows = await ReadAsync(Path.Combine(full, LakeExport.TransactionsFile));
        Assert.True(result.NarrationsMasked);
        Assert.Equal(fullRows.Count, maskedRows.Count);
        Assert.Equal(fullRows.Select(r => Masking.Narration((string?)r["narration"])), maskedRows.Select(r => (string?)r["narration"]));
        // The demo narrations name counterparties and carry UPI handles: masking must actually change some of them.
        Assert.Contains(fullRows.Zip(maskedRows), p => !Equals(p.First["narration"], p.Second["narration"]));
        Assert.DoesNotContain(maskedRows, r => System.Text.RegularExpressions.Regex.IsMatch((string?)r["narration"] ?? "", @"[a-z0-9.]+@[a-z]+"));
    }

    [SkippableFact]
    public async Task An_analyst_can_query_the_lake_with_duckdb_and_gets_the_store_figures()
    {
        await _lake.WriteAsync(_out, DisclosurePolicy.For([Roles.Admin]));
        await using var db = await _store.DbAsync();
        var usable = db.Transactions.Where(t => db.Accounts.Any(a => a.Id == t.AccountId && a.CustomerId != _pausedCustomer));
        var count = await usable.CountAsync();
        var sum = await usable.SumAsync(t => t.AmountPaise) / 100m;

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(*), sum(amount), any_value(typeof(amount)) FROM '{Path.Combine(_out, LakeExport.TransactionsFile)}'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(count, Convert.ToInt32(reader.GetValue(0)));
        Assert.Equal(sum, reader.GetDecimal(1));
        Assert.Equal("DECIMAL(18,2)", reader.GetString(2));
    }

    [SkippableFact]
    public async Task The_zip_holds_the_three_files()
    {
        await _lake.WriteAsync(_out, DisclosurePolicy.For([Roles.Admin]));
        var zip = Path.Combine(_out, "lake.zip");

        await LakeExport.ZipAsync(_out, zip);

        using var archive = System.IO.Compression.ZipFile.OpenRead(zip);
        Assert.Equal([LakeExport.AnomaliesFile, LakeExport.MonthlyFile, LakeExport.TransactionsFile], archive.Entries.Select(e => e.Name).Order());
    }
}

/// <summary>The lake over SQLite.</summary>
public sealed class LakeExportTests(LakeExportCases.DemoStore demo) : LakeExportCases(demo), IClassFixture<LakeExportCases.DemoStore>;

/// <summary>The same lake over PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class LakeExportTestsOnPostgreSql(LakeExportTestsOnPostgreSql.PostgreSqlStore demo)
    : LakeExportCases(demo), IClassFixture<LakeExportTestsOnPostgreSql.PostgreSqlStore>
{
    public sealed class PostgreSqlStore : DemoStore
    {
        protected override TestProvider Provider => TestProvider.PostgreSql;
    }
}
