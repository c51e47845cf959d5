using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>Runs every detector and merges their findings: the contract's robust-z as it reported them, then the rest.</summary>
public static class AnomalyDetectors
{
    public static AnomalyReport Build(AccountAnalysis contract, IReadOnlyList<ClassifiedTransaction> txns)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(txns);
        var findings = new List<AnomalyFinding>();

        // robust-z: the contract's own findings, unchanged; the explanation is the contract's (made only for a series
        // with a finding: the summaries below make their own when read).
        Explanation? inflowWhy = null, outflowWhy = null;
        foreach (var a in contract.Anomalies)
        {
            var why = a.Series == RobustZDetector.Inflow
                ? inflowWhy ??= contract.Explain(RobustZDetector.InflowFigure)
                : outflowWhy ??= contract.Explain(RobustZDetector.OutflowFigure);
            findings.Add(new AnomalyFinding(a.Detector, a.Series, a.Month, null, a.Value, a.Median, a.Score, a.DeviationPct,
                SeverityBands.OfDeviation(a.DeviationPct, a.Score), why with { Figure = Invariant($"{a.Detector}.{a.Series}.{a.Month}") }));
        }

        var complete = contract.Monthly.Where(m => m.Complete).ToList();
        findings.AddRange(SeasonalResidualDetector.Detect(complete, RobustZDetector.Inflow, null, out _));
        findings.AddRange(SeasonalResidualDetector.Detect(complete, RobustZDetector.Outflow, null, out _));
        decimal? medianOutflow = complete.Count == 0 ? null : DecimalMath.Median(complete.Select(m => m.Outflow).ToArray());
        findings.AddRange(TxnSpikeDetector.Detect(txns, contract.Metrics.MedianMonthlyInflow, medianOutflow, null));
        findings.AddRange(RoundTripDetector.Detect(txns, contract.Metrics.AvgMonthlyInflow, null));
        // Each detector's summary, by running it again with its explanation: the same function, so the same answer.
        var summaries = new DeferredList<Explanation>(() =>
        {
            SeasonalResidualDetector.Detect(complete, RobustZDetector.Inflow, out var sIn);
            SeasonalResidualDetector.Detect(complete, RobustZDetector.Outflow, out var sOut);
            TxnSpikeDetector.Detect(txns, contract.Metrics.MedianMonthlyInflow, medianOutflow, out var spikes);
            RoundTripDetector.Detect(txns, contract.Metrics.AvgMonthlyInflow, out var trips);
            return [contract.Explain(RobustZDetector.InflowFigure), contract.Explain(RobustZDetector.OutflowFigure), sIn, sOut, spikes, trips];
        });
        // Lines by txnId, made only when a finding asks for one (most accounts raise none): the first occurrence of each id.
        Dictionary<string, EventLine>? lines = null;
        EventLine? Line(string id)
        {
            if (lines is null)
            {
                lines = new Dictionary<string, EventLine>(txns.Count, StringComparer.Ordinal);
                foreach (var t in txns)
                    lines.TryAdd(t.Txn.TxnId, new EventLine(t.Type, t.Amount, t.Class.RuleId == "C-DISB" ? LoanDisbursal(t) : null));
            }
            return lines.TryGetValue(id, out var line) ? line : null;
        }
        var completeMonths = complete.Select(m => m.Month).ToHashSet();
        var largest = new Dictionary<(TxnType Type, CalendarMonth Month), decimal>();
        foreach (var t in txns)
        {
            var month = CalendarMonth.Of(t.Date);
            if (!completeMonths.Contains(month)) continue;
            ref var max = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(largest, (t.Type, month), out var seen);
            if (!seen || t.Amount > max) max = t.Amount;
        }
        var (events, explained) = AnomalyEvents.Build(findings, new EventContext(contract.Metrics.MedianMonthlyInflow, medianOutflow, complete.Count,
            Line, complete,
            (type, atLeast, month) => largest.Count(kv => kv.Key.Type == type && kv.Key.Month != month && kv.Value >= atLeast)));
        return new AnomalyReport(findings, summaries, events) { Explained = explained };
    }

    private static string LoanDisbursal(ClassifiedTransaction t) =>
        t.Class.Counterparty is { } lender ? Invariant($"a loan disbursal from {lender}") : "a loan disbursal";
}
