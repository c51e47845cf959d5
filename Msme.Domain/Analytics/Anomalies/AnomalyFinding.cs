using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>How much attention a finding deserves.</summary>
public enum Severity { Low, Medium, High }

/// <summary>One anomaly from any detector, in one shape for the risk queue.</summary>
/// <param name="Detector">robust-z, seasonal-residual, txn-spike or round-trip.</param>
/// <param name="Subject">The series ("inflow", "outflow") or the transaction(s) ("txn S123", "S123 → S456").</param>
/// <param name="Month">The month, for monthly detectors.</param>
/// <param name="Date">The transaction date (for round trips, the first leg's), for transaction detectors.</param>
/// <param name="Expected">What the detector expected: the median (robust-z, txn-spike), the trend × season (seasonal-residual), the first leg (round-trip).</param>
/// <param name="Score">robust-z and seasonal-residual: modified z-score; txn-spike: robust z of ln(amount); round-trip: days between the legs.</param>
/// <param name="DeviationPct">(value − expected) / expected × 100, 6 places; null when expected is 0.</param>
public sealed record AnomalyFinding(
    string Detector,
    string Subject,
    CalendarMonth? Month,
    DateOnly? Date,
    decimal Value,
    decimal? Expected,
    decimal Score,
    decimal? DeviationPct,
    Severity Severity,
    Explanation Explanation);

/// <summary>Every finding of every detector for one account (or customer), plus one summary explanation per detector run.</summary>
/// <param name="Events">The findings merged into events (<see cref="AnomalyEvents"/>): what the review queue works on.</param>
public sealed record AnomalyReport(IReadOnlyList<AnomalyFinding> Findings, IReadOnlyList<Explanation> Summaries, IReadOnlyList<AnomalyEvent> Events)
{
    public static readonly AnomalyReport Empty = new([], [], []);

    /// <summary>Events the calendar or a known cause (a loan disbursal) explains: not raised for review, shown with their explanation.</summary>
    public IReadOnlyList<AnomalyEvent> Explained { get; init; } = [];

    public IReadOnlyList<AnomalyFinding> Of(string detector) => [.. Findings.Where(f => f.Detector == detector)];
}

/// <summary>Shared severity bands: by how far the value is from what was expected, or by how extreme the score is.</summary>
internal static class SeverityBands
{
    /// <summary>High at ≥ 100% deviation or |score| ≥ 10; Medium at ≥ 50% or ≥ 6; else Low.</summary>
    public static Severity OfDeviation(decimal? deviationPct, decimal score)
    {
        var dev = Math.Abs(deviationPct ?? 0m);
        var s = Math.Abs(score);
        if (dev >= 100m || s >= 10m) return Severity.High;
        if (dev >= 50m || s >= 6m) return Severity.Medium;
        return Severity.Low;
    }

    public const string Rule = "High: |deviation| ≥ 100% or |score| ≥ 10; Medium: ≥ 50% or ≥ 6; else Low";
}
