namespace Msme.Domain.Analytics.Cashflow;

/// <summary>The covered period: [From, To], both IST dates, inclusive.</summary>
public sealed record Coverage(DateOnly From, DateOnly To)
{
    public bool ContainsMonth(CalendarMonth month) => From <= month.FirstDay && To >= month.LastDay;
}

/// <summary>What the statement declared and what its transactions span: the inputs of coverage.</summary>
public sealed record StatementFacts(
    DateOnly? DeclaredStart,
    DateOnly? DeclaredEnd,
    DateOnly? FirstTransactionDate,
    DateOnly? LastTransactionDate,
    int TransactionCount)
{
    public static readonly StatementFacts None = new(null, null, null, null, 0);
}

/// <summary>One month of the monthly series. Money is rounded to 2 places.</summary>
/// <param name="LargestCredit">Largest CREDIT of the month (the earliest when tied); null without credits. Feeds typicalCreditDay.</param>
/// <param name="LargestCreditDay">Day of month of <paramref name="LargestCredit"/>.</param>
public sealed record MonthlyFigures(
    CalendarMonth Month,
    bool Complete,
    decimal Inflow,
    decimal Outflow,
    decimal Net,
    int CreditCount,
    int DebitCount,
    decimal ClosingBalance,
    decimal? LargestCredit,
    int? LargestCreditDay);

/// <summary>Income stability from incomeCv, as the contract bands it.</summary>
public enum StabilityTier { High, Medium, Low, VeryLow, Unknown }

/// <summary>The contract's account figures over complete months. Money 2 places, ratios 6; null where undefined.</summary>
public sealed record AccountMetrics(
    decimal? AvgMonthlyInflow,
    decimal? MedianMonthlyInflow,
    decimal? IncomeCv,
    decimal? SurplusRatio,
    decimal? AverageBalance,
    decimal? BalanceVolatility,
    int? TypicalCreditDay,
    StabilityTier StabilityTier)
{
    public static readonly AccountMetrics None = new(null, null, null, null, null, null, null, StabilityTier.Unknown);
}

/// <summary>A month flagged by a detector on one series (inflow or outflow).</summary>
/// <param name="Score">The detector's score, 6 places (robust-z: the modified z-score M).</param>
/// <param name="DeviationPct">(value − median) / median × 100, 6 places; null when the median is 0.</param>
public sealed record MonthlyAnomaly(
    string Detector,
    string Series,
    CalendarMonth Month,
    decimal Value,
    decimal Median,
    decimal Score,
    decimal? DeviationPct);

/// <summary>Everything the contract reports for one DEPOSIT account, plus the intermediates that explain it.</summary>
public sealed record AccountAnalysis
{
    public required string MaskedAccNumber { get; init; }
    public string? LinkedAccRef { get; init; }
    /// <summary>Null when the account has no transactions or the declared period does not overlap them.</summary>
    public Coverage? Coverage { get; init; }
    public bool InsufficientHistory { get; init; }
    /// <summary>The statement facts coverage was derived from.</summary>
    public StatementFacts Statement { get; init; } = StatementFacts.None;
    /// <summary>Every month coverage touches, in order.</summary>
    public IReadOnlyList<MonthlyFigures> Monthly { get; init; } = [];
    public AccountMetrics Metrics { get; init; } = AccountMetrics.None;
    public IReadOnlyList<MonthlyAnomaly> Anomalies { get; init; } = [];
    /// <summary>Closing balance of every covered day.</summary>
    public DailyBalanceSeries DailyBalances { get; init; } = DailyBalanceSeries.Empty;

    public int CompleteMonthCount => CompleteMonths().Length;

    /// <summary>Names accepted by <see cref="Explain"/>: the contract's metric names, plus coverage and the anomaly series.</summary>
    public static IReadOnlyList<string> ExplainableFigures { get; } = Array.AsReadOnly(CashflowFigures.Names);

    /// <summary>Explains one figure (contract name, e.g. "incomeCv") by re-running the function that computed it.</summary>
    public Explanation Explain(string figure) => CashflowFigures.Explain(this, figure);

    public IReadOnlyList<Explanation> ExplainAll() => [.. ExplainableFigures.Select(Explain)];

    internal ReadOnlySpan<MonthlyFigures> CompleteMonths()
    {
        // Complete months are consecutive: coverage is one interval, and they are the months wholly inside it.
        var all = Monthly as MonthlyFigures[] ?? [.. Monthly];
        var start = 0;
        while (start < all.Length && !all[start].Complete) start++;
        var end = start;
        while (end < all.Length && all[end].Complete) end++;
        return all.AsSpan(start, end - start);
    }
}
