using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Analytics.IncomePattern;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics;

/// <summary>Count and total of one month's lines of one type under one key (a category or a channel).</summary>
public sealed record MonthlyBucket(CalendarMonth Month, TxnType Type, string Key, int Count, decimal Total);

/// <summary>Everything the product computes for one account beyond the contract, with the contract it builds on.</summary>
public sealed record AccountInsights
{
    public required string MaskedAccNumber { get; init; }
    public required AccountAnalysis Contract { get; init; }
    /// <summary>Every line with its classification, in the contract's order.</summary>
    public required IReadOnlyList<ClassifiedTransaction> Transactions { get; init; }
    public required IReadOnlyList<MonthlyBucket> ByCategory { get; init; }
    public required IReadOnlyList<MonthlyBucket> ByChannel { get; init; }
    public required IReadOnlyList<RecurringSeries> Recurring { get; init; }
    public required EmiReport Emi { get; init; }
    public required TopCounterparties Counterparties { get; init; }
    public required CashDepositRatio CashRatio { get; init; }
    public required IReadOnlyList<CheckpointBalance> CheckpointBalances { get; init; }
    public required IncomeSummary Income { get; init; }
    public required AnomalyReport Anomalies { get; init; }

    /// <summary>
    /// Computes every insight for one account. Pass the contract analysis when it is already at hand; otherwise it is
    /// computed here. Lines are classified once and shared by every part.
    /// </summary>
    public static AccountInsights Build(DepositAccount account, AccountAnalysis? contract = null) => Build(account, contract, null);

    /// <summary>As <see cref="Build(DepositAccount, AccountAnalysis?)"/>, reusing lines already classified (the combined account's are its accounts' lines).</summary>
    internal static AccountInsights Build(DepositAccount account, AccountAnalysis? contract, IReadOnlyList<ClassifiedTransaction>? classified)
    {
        ArgumentNullException.ThrowIfNull(account);
        contract ??= CashflowAnalyzer.Analyze(account);
        var txns = classified ?? ClassifiedTransaction.Of(account);
        var (byCategory, byChannel) = Buckets(txns);
        return new AccountInsights
        {
            MaskedAccNumber = account.MaskedAccNumber,
            Contract = contract,
            Transactions = txns,
            ByCategory = byCategory,
            ByChannel = byChannel,
            Recurring = RecurringDetector.Detect(txns),
            Emi = EmiDetector.Detect(txns),
            Counterparties = CounterpartyRanking.Rank(txns),
            CashRatio = BalanceAndCash.CashRatio(txns, contract),
            CheckpointBalances = BalanceAndCash.CheckpointBalances(contract),
            Income = IncomePatternAnalyzer.Build(contract, txns),
            Anomalies = AnomalyDetectors.Build(contract, txns),
        };
    }

    /// <summary>Every explanation the insights carry, contract figures first.</summary>
    public IReadOnlyList<Explanation> ExplainAll() =>
    [
        .. Contract.ExplainAll(),
        .. Recurring.Select(r => r.Explanation),
        .. Emi.Series.Select(s => s.Explanation),
        .. Emi.Series.SelectMany(s => s.Bounces).Concat(Emi.UnmatchedBounces).Select(b => b.Explanation),
        Counterparties.Explanation,
        CashRatio.Explanation,
        .. CheckpointBalances.Select(c => c.Explanation),
        .. Income.Explanations,
        .. Anomalies.Summaries,
        .. Anomalies.Findings.Select(f => f.Explanation),
        .. Anomalies.Events.Select(e => e.Explanation),
    ];

    /// <summary>Why one line got its classification (by txnId).</summary>
    public Explanation ExplainTransaction(string txnId)
    {
        var t = Transactions.FirstOrDefault(x => x.Txn.TxnId == txnId)
            ?? throw new ArgumentException(Invariant($"no transaction '{txnId}' in {MaskedAccNumber}"), nameof(txnId));
        return TransactionClassifier.Explain(t.Txn);
    }

    private static (List<MonthlyBucket>, List<MonthlyBucket>) Buckets(IReadOnlyList<ClassifiedTransaction> txns)
    {
        var categories = new Dictionary<(CalendarMonth, TxnType, Category), (int, decimal)>();
        var channels = new Dictionary<(CalendarMonth, TxnType, Channel), (int, decimal)>();
        foreach (var t in txns)
        {
            var ck = (t.Month, t.Type, t.Class.Category);
            categories.TryGetValue(ck, out var c);
            categories[ck] = (c.Item1 + 1, c.Item2 + t.Amount);
            var hk = (t.Month, t.Type, t.Class.Channel);
            channels.TryGetValue(hk, out var h);
            channels[hk] = (h.Item1 + 1, h.Item2 + t.Amount);
        }
        return (
            [.. categories.OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).ThenBy(kv => kv.Key.Item3)
                .Select(kv => new MonthlyBucket(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3.ToString(), kv.Value.Item1, Rounding.Money(kv.Value.Item2)))],
            [.. channels.OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).ThenBy(kv => kv.Key.Item3)
                .Select(kv => new MonthlyBucket(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3.ToString(), kv.Value.Item1, Rounding.Money(kv.Value.Item2)))]);
    }
}
