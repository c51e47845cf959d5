using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Ecosystem;

/// <summary>One month of the window with the debits the surplus adds back.</summary>
/// <param name="FreeCashflow">inflow − outflow + EMI debits + SIP debits: what the month left before debt service and investing.</param>
public sealed record MonthSurplus(CalendarMonth Month, decimal Inflow, decimal Outflow, decimal EmiDebits, decimal SipDebits, decimal PremiumDebits, decimal FreeCashflow)
{
    /// <summary>What running the business cost: outflow without EMIs, SIPs and premiums.</summary>
    public decimal OperatingOutflow => Outflow - EmiDebits - SipDebits - PremiumDebits;
}

/// <summary>A monthly obligation seen in the statement (an EMI series, a SIP, a premium) and whether it still runs.</summary>
/// <param name="Kind">"emi", "sip" or "premium".</param>
/// <param name="Active">Seen in the last complete month of the window or the month before (or later).</param>
public sealed record Commitment(string Kind, string Payee, decimal MonthlyAmount, int DayOfMonth, string LastSeen, int MonthsSeen, bool Active);

/// <summary>
/// The figures every data product starts from, over the same window: the last (up to) <see cref="WindowMonths"/>
/// complete months of the customer's combined flow (own transfers removed), straight from the analytics the portal shows.
/// </summary>
public sealed record SurplusBase
{
    public const int WindowMonths = 12;
    public const int MinimumMonths = 3;

    public required IReadOnlyList<MonthSurplus> Months { get; init; }
    /// <summary>Why the base cannot support products (fewer than 3 complete months); null when it can.</summary>
    public string? Insufficient { get; init; }
    /// <summary>Median of the window's free cashflow.</summary>
    public required ProductFigure StableMonthlySurplus { get; init; }
    public required ProductFigure ExistingEmis { get; init; }
    public required ProductFigure ExistingSips { get; init; }
    /// <summary>Premium debits over the window scaled to 12 months (annual premiums are not monthly series, so all premium debits count).</summary>
    public required ProductFigure AnnualisedPremiums { get; init; }
    public required ProductFigure AverageMonthlyInflow { get; init; }
    public required ProductFigure MedianOperatingOutflow { get; init; }
    /// <summary>Average daily balance (contract averageBalance) ÷ median operating outflow: how many months of costs sit in the account.</summary>
    public required ProductFigure LiquidityMonths { get; init; }
    public required IReadOnlyList<Commitment> Emis { get; init; }
    public required IReadOnlyList<Commitment> Sips { get; init; }
    public required IReadOnlyList<Commitment> Premiums { get; init; }
    /// <summary>The contract's stability tier of the combined flow and the income confidence (tier discounted for short history).</summary>
    public required string StabilityTier { get; init; }
    public required string IncomeConfidence { get; init; }
    public required Explanation IncomeConfidenceExplanation { get; init; }

    public static SurplusBase Build(AccountInsights combined, Func<string, string>? counterparty = null)
    {
        ArgumentNullException.ThrowIfNull(combined);
        var name = counterparty ?? (s => s);
        var complete = combined.Contract.Monthly.Where(m => m.Complete).ToList();
        var window = complete.Skip(Math.Max(0, complete.Count - WindowMonths)).ToList();
        var inWindow = window.Select(m => m.Month).ToHashSet();
        var emi = new Dictionary<CalendarMonth, decimal>();
        var sip = new Dictionary<CalendarMonth, decimal>();
        var premium = new Dictionary<CalendarMonth, decimal>();
        foreach (var t in combined.Transactions)
        {
            if (t.Type != TxnType.Debit || !inWindow.Contains(t.Month)) continue;
            var bucket = t.Class.Category switch
            {
                Category.LoanEmi => emi,
                Category.SipInvestment => sip,
                Category.InsurancePremium => premium,
                _ => null,
            };
            if (bucket is null) continue;
            bucket.TryGetValue(t.Month, out var sum);
            bucket[t.Month] = sum + t.Amount;
        }
        var months = window.Select(m =>
        {
            var e = Rounding.Money(emi.GetValueOrDefault(m.Month));
            var s = Rounding.Money(sip.GetValueOrDefault(m.Month));
            var p = Rounding.Money(premium.GetValueOrDefault(m.Month));
            return new MonthSurplus(m.Month, m.Inflow, m.Outflow, e, s, p, Rounding.Money(m.Inflow - m.Outflow + e + s));
        }).ToList();

        var insufficient = months.Count < MinimumMonths
            ? Invariant($"Only {months.Count} complete month(s) of data; at least {MinimumMonths} are needed.")
            : null;
        var last = months.Count > 0 ? months[^1].Month : (CalendarMonth?)null;

        var amounts = new Dictionary<string, (CalendarMonth, decimal)>(combined.Transactions.Count);
        foreach (var t in combined.Transactions) amounts.TryAdd(t.Txn.TxnId, (t.Month, t.Amount));
        var emis = combined.Emi.Series.Select(s => Commit("emi", name(s.Lender), MonthlyEmi(s, amounts), s.DueDay, s.MonthsPaid, last)).ToList();
        var sips = combined.Recurring.Where(r => r.Type == TxnType.Debit && r.Category == Category.SipInvestment)
            .Select(r => Commit("sip", name(r.Key), r.TypicalAmount, r.TypicalDay, r.MonthsSeen, last)).ToList();
        var premiums = combined.Recurring.Where(r => r.Type == TxnType.Debit && r.Category == Category.InsurancePremium)
            .Select(r => Commit("premium", name(r.Key), r.TypicalAmount, r.TypicalDay, r.MonthsSeen, last)).ToList();

        var confidenceWhy = combined.Income.Explanations.First(e => e.Figure == "income.confidence");
        return new SurplusBase
        {
            Months = months,
            Insufficient = insufficient,
            StableMonthlySurplus = Stable(months, insufficient),
            ExistingEmis = CommitmentTotal("existingMonthlyEmis", "EMI series", emis,
                "Monthly EMIs the statement shows still running: each lender's EMI series (LoanEmi debits, ≥ 2 months) paid in the last complete month or the one before, at the median of its monthly debits. EMIs without a named lender form no series and are not counted."),
            ExistingSips = CommitmentTotal("existingMonthlySips", "SIP series", sips,
                "Monthly SIPs still running: recurring SipInvestment debits (≥ 3 months, same payee, amount ±10%, day ±5) seen in the last complete month or the one before."),
            AnnualisedPremiums = Annualised(months, premiums, insufficient),
            AverageMonthlyInflow = MeanInflow(months, insufficient),
            MedianOperatingOutflow = MedianOperating(months, insufficient),
            LiquidityMonths = Liquidity(months, combined.Contract.Metrics.AverageBalance, insufficient),
            Emis = emis,
            Sips = sips,
            Premiums = premiums,
            StabilityTier = combined.Contract.Metrics.StabilityTier.ToString(),
            IncomeConfidence = combined.Income.Confidence.ToString(),
            IncomeConfidenceExplanation = confidenceWhy,
        };
    }

    /// <summary>
    /// A series' monthly outgo: the median over its months of the month's debits. Usually its EMI; twice it when one
    /// lender collects two loans of the same EMI (the detector puts both in one series).
    /// </summary>
    private static decimal MonthlyEmi(Analytics.Patterns.EmiSeries series, Dictionary<string, (CalendarMonth Month, decimal Amount)> amounts)
    {
        var perMonth = series.DebitTxnIds.Where(amounts.ContainsKey).GroupBy(id => amounts[id].Month).Select(g => g.Sum(id => amounts[id].Amount)).ToArray();
        return perMonth.Length == 0 ? series.Emi : Rounding.Money(DecimalMath.Median(perMonth));
    }

    private static Commitment Commit(string kind, string payee, decimal amount, int day, IReadOnlyList<CalendarMonth> seen, CalendarMonth? lastComplete)
    {
        var lastSeen = seen.Count == 0 ? (CalendarMonth?)null : seen.Max();
        var active = lastSeen is { } l && lastComplete is { } c && l.Index >= c.Index - 1;
        return new Commitment(kind, payee, amount, day, lastSeen?.ToString() ?? "", seen.Count, active);
    }

    private static ProductFigure Stable(List<MonthSurplus> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months)
            why.Input(Invariant($"{m.Month}: {m.Inflow} − {m.Outflow} + EMI {m.EmiDebits} + SIP {m.SipDebits}"), m.FreeCashflow);
        const string formula = "median over the window of (inflow − outflow + LoanEmi debits + SipInvestment debits)";
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            return new ProductFigure("stableMonthlySurplus", null, "INR", why.Build("stableMonthlySurplus", formula, "—"), insufficient);
        }
        Span<decimal> values = stackalloc decimal[months.Count];
        for (var i = 0; i < months.Count; i++) values[i] = months[i].FreeCashflow;
        var median = Rounding.Money(DecimalMath.Median(values));
        why.Narrate(Invariant($"Over {months.Count} complete months ({months[0].Month} to {months[^1].Month}) the middle month left {median} before EMIs and SIPs. The median, not the mean, so one windfall or one bad month does not set the figure."));
        return new ProductFigure("stableMonthlySurplus", median, "INR", why.Build("stableMonthlySurplus", formula, Invariant($"{median}")));
    }

    private static ProductFigure CommitmentTotal(string figure, string what, List<Commitment> items, string narrative)
    {
        var why = new ExplanationBuilder();
        foreach (var c in items)
            why.Input(Invariant($"{c.Payee} ({c.MonthsSeen} months, last {c.LastSeen}){(c.Active ? "" : ": ended, not counted")}"), c.Active ? c.MonthlyAmount : 0m);
        var total = Rounding.Money(items.Where(c => c.Active).Sum(c => c.MonthlyAmount));
        why.Narrate(items.Count == 0 ? Invariant($"No {what} in the statement. ") + narrative : narrative);
        return new ProductFigure(figure, total, "INR", why.Build(figure, "Σ monthly amount of the active series", Invariant($"{total}")));
    }

    private static ProductFigure Annualised(List<MonthSurplus> months, List<Commitment> series, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months) why.Input(Invariant($"{m.Month} premium debits"), m.PremiumDebits);
        foreach (var s in series) why.Input(Invariant($"monthly premium series: {s.Payee}"), s.MonthlyAmount);
        const string formula = "Σ InsurancePremium debits over the window × 12 / months in the window";
        if (months.Count == 0)
        {
            why.Narrate(insufficient ?? "No complete month.");
            return new ProductFigure("annualisedPremiums", null, "INR", why.Build("annualisedPremiums", formula, "—"), insufficient ?? "No complete month.");
        }
        var total = months.Sum(m => m.PremiumDebits);
        var value = Rounding.Money(total * 12m / months.Count);
        why.Narrate(total == 0m
            ? Invariant($"No premium debit in {months.Count} complete months: no insurance paid from these accounts.")
            : Invariant($"{total} of premiums in {months.Count} complete months, scaled to a year."));
        return new ProductFigure("annualisedPremiums", value, "INR", why.Build("annualisedPremiums", formula, Invariant($"{value}")), null);
    }

    private static ProductFigure MeanInflow(List<MonthSurplus> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months) why.Input(Invariant($"{m.Month} inflow"), m.Inflow);
        const string formula = "mean of inflow(m) over the window";
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            return new ProductFigure("averageMonthlyInflow", null, "INR", why.Build("averageMonthlyInflow", formula, "—"), insufficient);
        }
        var value = Rounding.Money(months.Sum(m => m.Inflow) / months.Count);
        why.Narrate(Invariant($"Mean of {months.Count} complete months' credits (own transfers removed)."));
        return new ProductFigure("averageMonthlyInflow", value, "INR", why.Build("averageMonthlyInflow", formula, Invariant($"{value}")));
    }

    private static ProductFigure MedianOperating(List<MonthSurplus> months, string? insufficient)
    {
        var why = new ExplanationBuilder();
        foreach (var m in months) why.Input(Invariant($"{m.Month}: {m.Outflow} − EMI {m.EmiDebits} − SIP {m.SipDebits} − premium {m.PremiumDebits}"), m.OperatingOutflow);
        const string formula = "median over the window of (outflow − EMI − SIP − premium debits)";
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            return new ProductFigure("medianOperatingOutflow", null, "INR", why.Build("medianOperatingOutflow", formula, "—"), insufficient);
        }
        Span<decimal> values = stackalloc decimal[months.Count];
        for (var i = 0; i < months.Count; i++) values[i] = months[i].OperatingOutflow;
        var value = Rounding.Money(DecimalMath.Median(values));
        why.Narrate("What a typical month costs to run the business, without loan, investment and insurance payments.");
        return new ProductFigure("medianOperatingOutflow", value, "INR", why.Build("medianOperatingOutflow", formula, Invariant($"{value}")));
    }

    private static ProductFigure Liquidity(List<MonthSurplus> months, decimal? averageBalance, string? insufficient)
    {
        var why = new ExplanationBuilder();
        why.Input("averageBalance (contract, complete months)", ExplanationBuilder.Format(averageBalance));
        const string formula = "averageBalance / median operating outflow";
        string? reason = insufficient;
        decimal? median = null;
        if (reason is null)
        {
            Span<decimal> values = stackalloc decimal[months.Count];
            for (var i = 0; i < months.Count; i++) values[i] = months[i].OperatingOutflow;
            median = Rounding.Money(DecimalMath.Median(values));
            why.Input("median operating outflow", median.Value);
            if (averageBalance is null) reason = "No average balance: no complete month.";
            else if (median <= 0m) reason = "No operating outflow in a typical month.";
        }
        if (reason is not null)
        {
            why.Narrate(reason);
            return new ProductFigure("liquidityMonths", null, "months", why.Build("liquidityMonths", formula, "—"), reason);
        }
        var value = Rounding.Ratio(averageBalance!.Value / median!.Value);
        why.Narrate(Invariant($"The account holds on average {value:0.##} months of running costs."));
        return new ProductFigure("liquidityMonths", value, "months", why.Build("liquidityMonths", formula, Invariant($"{value}")));
    }
}
