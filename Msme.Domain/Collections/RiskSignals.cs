using System.Globalization;
using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Collections;

public enum RiskSignalKind { FallingInflowTrend, RisingBounceRate, BalanceVolatilityUp, UnresolvedAnomalies }

/// <summary>A warning about a customer, with reasons that quote its numbers.</summary>
public sealed record RiskSignal(RiskSignalKind Kind, IReadOnlyList<string> Reasons);

/// <summary>
/// Where the risk managers' reviews left a customer's anomaly events (every detector's findings, merged into events).
/// Unresolved: events nobody decided on yet, and escalations whose follow-up is still open. Acknowledged and dismissed
/// events, and escalations whose follow-up is done, are resolved.
/// </summary>
public sealed record AnomalyReviewTally(int New, int Acknowledged, int Dismissed, int EscalatedOpen, int EscalatedDone)
{
    public static AnomalyReviewTally None { get; } = new(0, 0, 0, 0, 0);

    public int Unresolved => New + EscalatedOpen;
    public int Total => New + Acknowledged + Dismissed + EscalatedOpen + EscalatedDone;
}

/// <summary>Customer-level risk signals from the account figures and the loans' presentment records (docs/smart-collect-model.md).</summary>
public static class RiskSignals
{
    /// <summary>Inflow of the last 3 complete months at or below this share of the prior 3.</summary>
    public const decimal FallingInflowShare = 0.85m;
    /// <summary>Balance volatility of the last 3 complete months at least this multiple of the prior 3.</summary>
    public const decimal VolatilityRise = 1.25m;

    public static IReadOnlyList<RiskSignal> Detect(AccountAnalysis analysis, IEnumerable<Loan> loans, DateOnly asOf, int unresolvedAnomalies)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(loans);
        var signals = new List<RiskSignal>();
        var months = analysis.CompleteMonths().ToArray();
        var inv = CultureInfo.InvariantCulture;
        if (months.Length >= 6)
        {
            var last = months[^3..].Sum(m => m.Inflow);
            var prior = months[^6..^3].Sum(m => m.Inflow);
            if (prior > 0 && last <= prior * FallingInflowShare)
                signals.Add(new(RiskSignalKind.FallingInflowTrend,
                [
                    string.Create(inv, $"inflow {months[^3].Month}..{months[^1].Month} ₹{last:0.00} vs {months[^6].Month}..{months[^4].Month} ₹{prior:0.00} ({(last / prior - 1) * 100:+0.0;-0.0}%)"),
                    string.Create(inv, $"threshold: at or below {FallingInflowShare:P0} of the prior 3 months"),
                ]));

            var vLast = Volatility(analysis, months[^3].Month.FirstDay, months[^1].Month.LastDay);
            var vPrior = Volatility(analysis, months[^6].Month.FirstDay, months[^4].Month.LastDay);
            if (vLast is { } a && vPrior is { } b && b > 0 && a >= b * VolatilityRise)
                signals.Add(new(RiskSignalKind.BalanceVolatilityUp,
                [
                    string.Create(inv, $"daily-balance volatility (sd / mean) {a:0.000} in the last 3 complete months vs {b:0.000} in the prior 3 (×{a / b:0.00})"),
                    string.Create(inv, $"threshold: ×{VolatilityRise:0.00}"),
                ]));
        }

        var presentments = loans
            .SelectMany(l => l.Instalments.SelectMany(i => i.Attempts.Count > 0
                ? i.Attempts.Where(a => a.Presentment).Select(a => (a.Date, a.Bounced))
                : i.PresentedDate is { } d && i.FirstPresentmentBounced is { } bounced ? [(d, bounced)] : Array.Empty<(DateOnly, bool)>()))
            .Where(x => x.Item1 < asOf)
            .OrderBy(x => x.Item1)
            .ToList();
        if (presentments.Count >= 4)
        {
            var half = Math.Min(6, presentments.Count / 2);
            var recent = presentments.GetRange(presentments.Count - half, half);
            var before = presentments.GetRange(presentments.Count - 2 * half, half);
            int br = recent.Count(x => x.Item2), bp = before.Count(x => x.Item2);
            if (br >= 2 && br > bp)
                signals.Add(new(RiskSignalKind.RisingBounceRate,
                [
                    $"{br} bounces in the last {half} presentments vs {bp} in the {half} before",
                    $"last bounce {recent.Last(x => x.Item2).Item1:yyyy-MM-dd}",
                ]));
        }

        if (unresolvedAnomalies > 0)
            signals.Add(new(RiskSignalKind.UnresolvedAnomalies,
            [
                $"{unresolvedAnomalies} unresolved anomalies on the account",
                $"{analysis.Anomalies.Count} months flagged by the detectors in {months.Length} complete months",
            ]));
        return signals;
    }

    /// <summary>The unresolved-anomalies signal from the review states of the customer's anomaly events; null when none is unresolved.</summary>
    public static RiskSignal? UnresolvedAnomalies(AnomalyReviewTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        if (tally.Unresolved == 0) return null;
        return new(RiskSignalKind.UnresolvedAnomalies,
        [
            $"{tally.Unresolved} unresolved anomalies: {tally.New} not reviewed yet, {tally.EscalatedOpen} escalated and still open",
            $"{tally.Total} anomaly events on the customer's data: {tally.Acknowledged} acknowledged, {tally.Dismissed} dismissed, {tally.EscalatedDone} escalated and done (resolved)",
        ]);
    }

    private static decimal? Volatility(AccountAnalysis analysis, DateOnly from, DateOnly to)
    {
        var values = new List<decimal>();
        for (var d = from; d <= to; d = d.AddDays(1))
            if (analysis.DailyBalances.TryGet(d, out var b)) values.Add(b);
        if (values.Count < 2) return null;
        var mean = values.Average();
        if (mean <= 0) return null;
        var variance = values.Sum(v => (double)((v - mean) * (v - mean))) / (values.Count - 1);
        return (decimal)Math.Sqrt(variance) / mean;
    }
}
