using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>What kind of real-world event an anomaly event is.</summary>
public enum EventKind { InflowSpike, InflowDrop, OutflowSpike, OutflowDrop, TxnSpike, RoundTrip }

/// <summary>
/// One real-world event: every detector finding that describes it (the same month flagged by several detectors, in
/// inflow and outflow by one cause, the transactions that explain the month), with one severity and one explanation.
/// </summary>
/// <param name="Period">yyyy-MM for a monthly event, yyyy-MM-dd for a transaction event (the first line's date).</param>
/// <param name="Amount">What is out of line, in rupees: the largest gap between a month and what was expected, or the largest transaction.</param>
/// <param name="DeviationPct">The largest deviation of the event's findings (monthly findings first), as the detectors report it.</param>
/// <param name="ExplainedBy">What explains the event when something does (a festival or business date, a loan disbursal): then it is Low and not raised for review.</param>
public sealed record AnomalyEvent(
    string Period,
    CalendarMonth Month,
    DateOnly? Date,
    EventKind Kind,
    IReadOnlyList<AnomalyFinding> Findings,
    Severity Severity,
    decimal Amount,
    decimal? DeviationPct,
    string? ExplainedBy,
    Explanation Explanation)
{
    /// <summary>The detectors that found it, each once, in a fixed order.</summary>
    public IReadOnlyList<string> Detectors { get; } = [.. Findings.Select(f => f.Detector).Distinct(StringComparer.Ordinal).OrderBy(DetectorOrder)];

    /// <summary>The kind as printed: inflow-spike, inflow-drop, outflow-spike, outflow-drop, txn-spike, round-trip.</summary>
    public string KindName => Name(Kind);

    /// <summary>The day the event was known: its date, or the last day of its month.</summary>
    public DateOnly Day => Date ?? Month.LastDay;

    public static string Name(EventKind kind) => kind switch
    {
        EventKind.InflowSpike => "inflow-spike",
        EventKind.InflowDrop => "inflow-drop",
        EventKind.OutflowSpike => "outflow-spike",
        EventKind.OutflowDrop => "outflow-drop",
        EventKind.TxnSpike => "txn-spike",
        _ => "round-trip",
    };

    private static int DetectorOrder(string detector) => detector switch
    {
        "robust-z" => 0,
        SeasonalResidualDetector.Name => 1,
        TxnSpikeDetector.Name => 2,
        RoundTripDetector.Name => 3,
        _ => 4,
    };
}
