using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.IncomePattern;

/// <summary>How far the income figures can be relied on: the stability tier, discounted for short history.</summary>
public enum Confidence { High, Medium, Low, VeryLow }

/// <summary>A real credit shown as evidence, with its date as the statement gives it.</summary>
public sealed record SampleCredit(DateOnly Date, decimal Amount, string TxnId, string? Counterparty, string? Narration);

/// <summary>One of the strongest inflow months and its largest credits.</summary>
public sealed record TopInflowMonth(CalendarMonth Month, decimal Inflow, IReadOnlyList<SampleCredit> Credits);

/// <summary>The income picture a credit officer reads first. Figures are the contract's, never recomputed.</summary>
public sealed record IncomeSummary(
    decimal? AvgMonthlyInflow,
    decimal? MedianMonthlyInflow,
    int? TypicalCreditDay,
    decimal? IncomeCv,
    StabilityTier Consistency,
    Confidence Confidence,
    int CompleteMonths,
    IReadOnlyList<TopInflowMonth> TopMonths,
    IReadOnlyList<Explanation> Explanations);

/// <summary>
/// Builds the income summary. avg/median/typical day/cv and the tier are read from <see cref="AccountAnalysis"/> and
/// explained by its own <see cref="AccountAnalysis.Explain"/>, so the two can never disagree. Confidence is the tier
/// (Unknown reads as VeryLow), one step lower under <see cref="FullConfidenceMonths"/> complete months, and VeryLow
/// with insufficient history (under 3).
/// </summary>
public static class IncomePatternAnalyzer
{
    public const int FullConfidenceMonths = 6;
    public const int TopMonthCount = 3;
    public const int SamplesPerMonth = 3;

    public static IncomeSummary Build(AccountAnalysis contract, IReadOnlyList<ClassifiedTransaction> txns)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(txns);
        var m = contract.Metrics;
        var completeMonths = contract.CompleteMonthCount;
        var confidenceWhy = new ExplanationBuilder();
        var confidence = ConfidenceOf(m.StabilityTier, completeMonths, contract.InsufficientHistory, confidenceWhy);

        var top = contract.Monthly.Where(x => x.Complete && x.Inflow > 0m)
            .OrderByDescending(x => x.Inflow).ThenBy(x => x.Month).Take(TopMonthCount).ToList();
        var months = top.Select(x => x.Month).ToHashSet();
        var credits = txns.Where(t => t.Type == TxnType.Credit && months.Contains(t.Month)).ToLookup(t => t.Month);
        var topMonths = top.Select(x => new TopInflowMonth(x.Month, x.Inflow,
            [.. credits[x.Month].OrderByDescending(t => t.Amount).ThenBy(t => t.Date).Take(SamplesPerMonth)
                .Select(t => new SampleCredit(t.Date, t.Amount, t.Txn.TxnId, t.Class.Counterparty, t.Txn.Narration))])).ToList();

        var samplesWhy = new ExplanationBuilder();
        foreach (var month in topMonths)
            foreach (var c in month.Credits) samplesWhy.Input(Invariant($"{month.Month} ({month.Inflow}) {c.Date:yyyy-MM-dd} {c.TxnId}"), c.Amount);
        samplesWhy.Narrate(topMonths.Count == 0 ? "No complete month with inflow."
            : Invariant($"The {SamplesPerMonth} largest credits of the {topMonths.Count} strongest complete months, with the dates the statement gives."));

        return new IncomeSummary(m.AvgMonthlyInflow, m.MedianMonthlyInflow, m.TypicalCreditDay, m.IncomeCv, m.StabilityTier, confidence,
            completeMonths, topMonths,
            [
                contract.Explain(CashflowFigures.AvgMonthlyInflowName),
                contract.Explain(CashflowFigures.MedianMonthlyInflowName),
                contract.Explain(CashflowFigures.TypicalCreditDayName),
                contract.Explain(CashflowFigures.IncomeCvName),
                contract.Explain(CashflowFigures.StabilityTierName),
                confidenceWhy.Build("income.confidence", Invariant($"tier (Unknown → VeryLow); one step lower under {FullConfidenceMonths} complete months; VeryLow under 3"), confidence.ToString()),
                samplesWhy.Build("income.sampleCredits", "largest credits of the top inflow months", Invariant($"{topMonths.Sum(x => x.Credits.Count)} credits")),
            ]);
    }

    internal static Confidence ConfidenceOf(StabilityTier tier, int completeMonths, bool insufficient, ExplanationBuilder? why)
    {
        why?.Input("stability tier", tier.ToString());
        why?.Input("complete months", completeMonths.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (insufficient)
        {
            why?.Narrate("Fewer than 3 complete months: too little history to rely on.");
            return Confidence.VeryLow;
        }
        var fromTier = tier switch
        {
            StabilityTier.High => Confidence.High,
            StabilityTier.Medium => Confidence.Medium,
            StabilityTier.Low => Confidence.Low,
            _ => Confidence.VeryLow,
        };
        if (completeMonths < FullConfidenceMonths && fromTier != Confidence.VeryLow)
        {
            why?.Narrate(Invariant($"Tier {tier}, lowered one step: {completeMonths} complete months is under {FullConfidenceMonths}."));
            return fromTier + 1;
        }
        why?.Narrate(Invariant($"Tier {tier} over {completeMonths} complete months."));
        return fromTier;
    }
}
