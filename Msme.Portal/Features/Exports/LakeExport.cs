using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Customers;
using Msme.Portal.Features.Risk;

namespace Msme.Portal.Features.Exports;

/// <summary>What one lake export wrote.</summary>
public sealed record LakeResult(long Transactions, long TransactionsWithheld, long MonthlyRows, long Anomalies, bool NarrationsMasked, TimeSpan Elapsed)
{
    /// <summary>Time per file: transactions, monthly (includes computing the risk figures when not cached), anomalies.</summary>
    public IReadOnlyList<TimeSpan> Phases { get; init; } = [];

    public string AuditDetails => string.Create(CultureInfo.InvariantCulture,
        $"Parquet lake: {Transactions} transactions ({TransactionsWithheld} withheld: consent not usable for analytics), {MonthlyRows} monthly rows, {Anomalies} anomalies; narrations {(NarrationsMasked ? "masked" : "as received")}");
}

/// <summary>
/// The Parquet lake for analysts (docs/lake-export.md): transactions with their lineage, the contract's monthly figures
/// per account and per customer, and every anomaly with its review state. The consent gate decides, as everywhere data
/// leaves the store: only sessions the underwriting use (the risk review's) may read now, and only rows inside their
/// consent's FIDataRange, are exported. Written in row groups of 50,000 so memory stays flat on a large store.
/// </summary>
public sealed class LakeExport(IDbContextFactory<ApplicationDbContext> dbFactory, ConsentGate gate, RiskService risk)
{
    public const string TransactionsFile = "transactions.parquet";
    public const string MonthlyFile = "monthly.parquet";
    public const string AnomaliesFile = "anomalies.parquet";

    public async Task<LakeResult> WriteAsync(string directory, DisclosurePolicy policy, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(directory);
        var (transactions, withheld) = await WriteTransactionsAsync(Path.Combine(directory, TransactionsFile), policy, ct);
        var afterTransactions = Stopwatch.GetTimestamp();
        var monthly = await WriteMonthlyAsync(Path.Combine(directory, MonthlyFile), ct);
        var afterMonthly = Stopwatch.GetTimestamp();
        var anomalies = await WriteAnomaliesAsync(Path.Combine(directory, AnomaliesFile), policy, ct);
        return new LakeResult(transactions, withheld, monthly, anomalies, !policy.Counterparties, Stopwatch.GetElapsedTime(started))
        {
            Phases = [Stopwatch.GetElapsedTime(started, afterTransactions), Stopwatch.GetElapsedTime(afterTransactions, afterMonthly), Stopwatch.GetElapsedTime(afterMonthly)],
        };
    }

    /// <summary>The three files in one zip (stored, not deflated: Parquet pages are already compressed).</summary>
    public static Task ZipAsync(string directory, string zipPath, CancellationToken ct = default) => Task.Run(() =>
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var name in new[] { TransactionsFile, MonthlyFile, AnomaliesFile })
        {
            zip.CreateEntryFromFile(Path.Combine(directory, name), name, CompressionLevel.NoCompression);
        }
    }, ct);


    private sealed record TxnRow(
        int CustomerId, int AccountId, string MaskedAccNumber, string? FipId, string ConsentId, string SessionId, string? PayloadSha256,
        string TxnId, string Type, string? Mode, long AmountPaise, long BalancePaise, long TimestampUnixMs, DateOnly Date, DateOnly? ValueDate,
        string? Narration, string? Reference, string Channel, string Category);

    private static ParquetTable<TxnRow> TransactionsTable() => new ParquetTable<TxnRow>()
        .Int("customer_id", r => r.CustomerId)
        .Int("account_id", r => r.AccountId)
        .String("masked_acc_number", r => r.MaskedAccNumber, nullable: false)
        .String("fip_id", r => r.FipId)
        .String("consent_id", r => r.ConsentId, nullable: false)
        .String("fetch_session_id", r => r.SessionId, nullable: false)
        .String("payload_sha256", r => r.PayloadSha256)
        .String("txn_id", r => r.TxnId, nullable: false)
        .String("type", r => r.Type, nullable: false)
        .String("mode", r => r.Mode)
        .Decimal("amount", r => r.AmountPaise / 100m)
        .Decimal("current_balance", r => r.BalancePaise / 100m)
        .Timestamp("txn_timestamp", r => DateTimeOffset.FromUnixTimeMilliseconds(r.TimestampUnixMs))
        .Date("txn_date", r => r.Date)
        .NullableDate("value_date", r => r.ValueDate)
        .String("narration", r => r.Narration)
        .String("reference", r => r.Reference)
        .String("channel", r => r.Channel, nullable: false)
        .String("category", r => r.Category, nullable: false);

    private async Task<(long Written, long Withheld)> WriteTransactionsAsync(string path, DisclosurePolicy policy, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payloads = (await db.RawPayloads.AsNoTracking().Where(p => p.Role == "fi" || p.Role == "envelope")
                .OrderBy(p => p.Id).Select(p => new { p.FetchSessionId, p.Sha256 }).ToListAsync(ct))
            .GroupBy(p => p.FetchSessionId).ToDictionary(g => g.Key, g => string.Join(' ', g.Select(p => p.Sha256)));
        var withheld = new System.Runtime.CompilerServices.StrongBox<long>();
        await using var file = File.Create(path);
        var table = TransactionsTable();
        await using (var writer = await table.OpenAsync(file, ct))
        {
            // The gate streams every row the underwriting use may read now, per account in the contract's order, and counts the rest.
            await foreach (var t in gate.AllTransactionsAsync(DataUse.Underwriting, withheld, ct))
            {
                var classification = TransactionClassifier.Classify(t.Narration, t.Type switch { "CREDIT" => TxnType.Credit, "DEBIT" => TxnType.Debit, _ => TxnType.Reversal }, t.Mode);
                await writer.AddAsync(new TxnRow(t.CustomerId, t.AccountId, t.MaskedAccNumber, t.FipId, t.Session.ConsentId, t.Session.SessionId,
                    payloads.GetValueOrDefault(t.Session.Id), t.TxnId, t.Type, t.Mode, t.AmountPaise, t.BalancePaise, t.TimestampUnixMs, t.Date, t.ValueDate,
                    policy.Narration(t.Narration), t.Reference, classification.Channel.ToString(), classification.Category.ToString()));
            }
            return (writer.Rows, withheld.Value);
        }
    }

    private sealed record MonthRow(int CustomerId, string Scope, int? AccountId, string? MaskedAccNumber, MonthlyFigures Month);

    private static ParquetTable<MonthRow> MonthlyTable() => new ParquetTable<MonthRow>()
        .Int("customer_id", r => r.CustomerId)
        .String("scope", r => r.Scope, nullable: false)
        .NullableInt("account_id", r => r.AccountId)
        .String("masked_acc_number", r => r.MaskedAccNumber)
        .String("month", r => r.Month.Month.ToString(), nullable: false)
        .Date("month_start", r => r.Month.Month.FirstDay)
        .Bool("complete", r => r.Month.Complete)
        .Decimal("inflow", r => r.Month.Inflow)
        .Decimal("outflow", r => r.Month.Outflow)
        .Decimal("net", r => r.Month.Net)
        .Int("credit_count", r => r.Month.CreditCount)
        .Int("debit_count", r => r.Month.DebitCount)
        .Decimal("closing_balance", r => r.Month.ClosingBalance);

    /// <summary>
    /// Per account: the contract's monthly series of that account. Per customer: the same series over the customer's
    /// accounts combined with own transfers removed (what the risk views use), from the risk service's cached figures.
    /// </summary>
    private async Task<long> WriteMonthlyAsync(string path, CancellationToken ct)
    {
        var portfolio = await risk.GetPortfolioAsync(null, ct);
        await using var file = File.Create(path);
        await using var writer = await MonthlyTable().OpenAsync(file, ct);
        foreach (var customer in portfolio.Customers)
        {
            var id = customer.Figures.CustomerId;
            foreach (var stored in await gate.LoadCustomerAsync(id, DataUse.Underwriting, ct))
            {
                foreach (var m in CashflowAnalyzer.Analyze(stored.Account).Monthly)
                {
                    await writer.AddAsync(new MonthRow(id, "account", stored.AccountId, stored.Account.MaskedAccNumber, m));
                }
            }
            foreach (var m in customer.Figures.Monthly)
            {
                await writer.AddAsync(new MonthRow(id, "customer", null, null, m));
            }
        }
        return writer.Rows;
    }

    private static ParquetTable<AnomalyRow> AnomaliesTable(DisclosurePolicy policy) => new ParquetTable<AnomalyRow>()
        .String("anomaly_key", r => r.Key, nullable: false)
        .Int("customer_id", r => r.CustomerId)
        .String("scope", r => r.Scope, nullable: false)
        .String("detector", r => string.Join(',', r.Event.Detectors), nullable: false)
        .String("subject", r => r.Event.KindName)
        .String("severity", r => r.Event.Severity.ToString(), nullable: false)
        .String("period", r => r.Period, nullable: false)
        .NullableDate("month_start", r => r.Event.Month.FirstDay)
        .NullableDate("date", r => r.Event.Date)
        .Decimal("value", r => r.Event.Amount)
        .NullableDecimal("deviation_pct", r => r.Event.DeviationPct, 18, 6)
        .String("explanation", r => policy.Narration(r.Event.Explanation.Narrative))
        .String("findings", r => policy.Narration(RiskService.FindingsText(r.Event)))
        .String("review_state", r => r.State.ToString(), nullable: false)
        .String("review_reason", r => r.Reason)
        .String("escalated_to", r => r.Target?.ToString())
        .NullableTimestamp("reviewed_at", r => r.ReviewedAt);

    private async Task<long> WriteAnomaliesAsync(string path, DisclosurePolicy policy, CancellationToken ct)
    {
        var all = await risk.QueueAsync(new AnomalyFilter([], [], []), new Reviewer("", "lake-export"), 0, int.MaxValue, "customer", false, ct);
        await using var file = File.Create(path);
        await using var writer = await AnomaliesTable(policy).OpenAsync(file, ct);
        foreach (var row in all.Items.OrderBy(r => r.CustomerId).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            await writer.AddAsync(row);
        }
        return writer.Rows;
    }
}

public static class ExportServiceCollectionExtensions
{
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddScoped<ReportExports>();
        services.AddScoped<LakeExport>();
        return services;
    }
}
