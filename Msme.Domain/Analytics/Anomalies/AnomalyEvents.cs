using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>What the event rules need to know about the account beyond the findings.</summary>
/// <param name="MedianMonthlyInflow">The contract's median monthly inflow: the scale of "a typical month".</param>
/// <param name="MedianMonthlyOutflow">Median monthly outflow over complete months.</param>
/// <param name="CompleteMonths">Complete months of history: under 13, no seasonal or calendar claims.</param>
/// <param name="Line">A transaction by its txnId (its type, amount and known cause); null when unknown.</param>
/// <param name="Months">The complete months' inflow and outflow, in order: the neighbours a timing shift is read from and the account's own month-to-month swing.</param>
/// <param name="MonthsHolding">How many complete months other than the given one hold a line of the type of at least the amount: whether a line's size recurs.</param>
public sealed record EventContext(decimal? MedianMonthlyInflow, decimal? MedianMonthlyOutflow, int CompleteMonths, Func<string, EventLine?> Line,
    IReadOnlyList<MonthlyFigures>? Months = null, Func<TxnType, decimal, CalendarMonth, int>? MonthsHolding = null)
{
    public TxnType? LineType(string txnId) => Line(txnId)?.Type;
}

/// <summary>What the event rules know of one transaction.</summary>
/// <param name="Cause">A cause its narration names that makes it no anomaly of the business (a loan disbursal), or null.</param>
public sealed record EventLine(TxnType Type, decimal Amount, string? Cause);

/// <summary>
/// Merges detector findings into events (one per real-world event) and decides each event's severity.
/// <para>Rules, applied as links between findings; each connected group is one event:</para>
/// <list type="number">
/// <item>monthly findings (robust-z, seasonal-residual) of the same month, series and direction;</item>
/// <item>an inflow and an outflow finding of the same month and direction whose gaps (|value − expected|) are within
/// 3× of each other: one cause seen on both sides (a large credit passed straight through, a month the business
/// shrank);</item>
/// <item>a txn-spike credit (debit) to its month's inflow (outflow) finding in the same direction when it explains at
/// least half the month's gap; a round trip to either side's spike in its month on the same terms;</item>
/// <item>a txn-spike credit and a txn-spike debit within <see cref="PassThroughDays"/> days, the debit 50-102% of the
/// credit (money in and spent on an asset or passed on); a round trip and the txn-spikes of its own legs.</item>
/// </list>
/// A transaction-level group with no monthly finding and no round trip is an event only when material: its largest
/// line is at least <see cref="MaterialShare"/> of the median month of its type (a routine supplier payment 10× the
/// median UPI ticket is not an event; the finding stays in the detector's list and the history).
/// <para>Timing (a realistic book's receipts wrap across month ends, lumps arrive a week late, balances are run down
/// before due dates), explained and not raised:</para>
/// <list type="bullet">
/// <item>a timing shift: a month's spike (drop) in one series whose neighbouring month moved the other way by about as
/// much, so that the two months together are within <see cref="ShiftTolerance"/> of the gap from what was expected,
/// and the gap is at most <see cref="ShiftMaxShare"/> of the expected month (days of money, not most of a month):
/// money that arrived a few days late or early across the month end, not a change in the business;</item>
/// <item>a recurring line: a transaction-level event whose every line has a line of its type at least
/// <see cref="RecurShare"/> of its size in <see cref="RecurMonths"/> other months or more (receivables that come in
/// lumps, suppliers paid in one evening run): the account's own cycle, not a one-off. A recurring line in a festive
/// month does not stop the calendar explaining the month.</item>
/// </list>
/// <para>Severity accounts for the account's own month-to-month swing (the median |month − previous month| of the
/// series): a monthly event whose gap is under <see cref="SwingMultiple"/>× that swing is one band lower.</para>
/// </summary>
public static class AnomalyEvents
{
    public const int PassThroughDays = 14;
    public const decimal MaterialShare = 0.5m;
    public const int SeasonalMonths = SeasonalResidualDetector.SeasonalMonths;
    /// <summary>A month and its neighbour together within this share of the month's gap: one timing shift.</summary>
    public const decimal ShiftTolerance = 0.35m;
    /// <summary>A timing shift moves a few days' money: at most this share of the expected month.</summary>
    public const decimal ShiftMaxShare = 0.5m;
    /// <summary>A line recurs when lines of its type at least this share of it appear in <see cref="RecurMonths"/> other months.</summary>
    public const decimal RecurShare = 0.5m;
    public const int RecurMonths = 3;
    /// <summary>A monthly gap under this many times the account's own month-to-month swing is one band lower.</summary>
    public const decimal SwingMultiple = 2m;

    /// <summary>The severity rule, as the explanation shows it.</summary>
    public const string SeverityRule =
        "size = amount out of line ÷ median monthly inflow; High (look today): size ≥ 1 (a typical month's takings or more), or a drop of size ≥ 0.5 that two detectors or both series confirm, " +
        "or a round trip of size ≥ 0.5; Medium: size ≥ 0.25; else Low; a monthly event whose gap is under 2× the account's own median month-to-month swing is one band lower; " +
        "an event the festival and business calendar, a known cause, a timing shift across the month end or a recurring line explains is Low and not raised";

    private static readonly Observance[] Festive =
        [Observance.Diwali, Observance.Dussehra, Observance.EidAlFitr, Observance.PongalSankranti, Observance.Onam, Observance.GaneshChaturthi, Observance.Christmas, Observance.FinancialYearEnd];

    /// <summary>The events to review, and those explained (by the calendar or a known cause such as a loan disbursal), which are not raised.</summary>
    public static (IReadOnlyList<AnomalyEvent> Raised, IReadOnlyList<AnomalyEvent> Explained) Build(IReadOnlyList<AnomalyFinding> findings, EventContext context)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(context);
        var n = findings.Count;
        var parent = new int[n];
        for (var i = 0; i < n; i++) parent[i] = i;
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        void Union(int a, int b) => parent[Find(a)] = Find(b);

        var monthly = new List<int>();
        var spikes = new List<int>();
        var trips = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (IsMonthly(findings[i])) monthly.Add(i);
            else if (findings[i].Detector == TxnSpikeDetector.Name) spikes.Add(i);
            else if (findings[i].Detector == RoundTripDetector.Name) trips.Add(i);
        }

        // Rule 1 and 2: monthly findings of one month.
        foreach (var i in monthly)
            foreach (var j in monthly)
            {
                if (j <= i) continue;
                var (a, b) = (findings[i], findings[j]);
                if (a.Month != b.Month || Up(a) != Up(b)) continue;
                if (a.Subject == b.Subject) Union(i, j);
                else if (Within(Gap(a), Gap(b), 3m)) Union(i, j);
            }

        // Rule 4 first (pairs of lines), so a pair joins a month as one.
        foreach (var i in spikes)
        {
            if (Type(findings[i]) != TxnType.Credit) continue;
            foreach (var j in spikes)
            {
                if (Type(findings[j]) != TxnType.Debit) continue;
                var (c, d) = (findings[i], findings[j]);
                var days = d.Date!.Value.DayNumber - c.Date!.Value.DayNumber;
                if (days is >= 0 and <= PassThroughDays && d.Value >= c.Value * 0.5m && d.Value <= c.Value * 1.02m) Union(i, j);
            }
        }
        foreach (var t in trips)
        {
            var legs = findings[t].Subject.Split(" → ");
            foreach (var s in spikes)
                if (legs.Contains(findings[s].Subject["txn ".Length..], StringComparer.Ordinal)) Union(t, s);
        }

        // Rule 3: lines that explain their month.
        foreach (var s in spikes)
        {
            var series = Type(findings[s]) == TxnType.Credit ? RobustZDetector.Inflow : RobustZDetector.Outflow;
            foreach (var m in monthly)
            {
                var f = findings[m];
                if (f.Month == findings[s].Month && f.Subject == series && Up(f) && findings[s].Value >= 0.5m * Gap(f)) Union(s, m);
            }
        }
        foreach (var t in trips)
            foreach (var m in monthly)
            {
                var f = findings[m];
                if (f.Month == findings[t].Month && Up(f) && findings[t].Value >= 0.5m * Gap(f)) Union(t, m);
            }

        var events = new List<AnomalyEvent>();
        foreach (var group in Enumerable.Range(0, n).GroupBy(Find))
        {
            var members = group.Select(i => findings[i]).ToList();
            if (Event(members, context) is { } e) events.Add(e);
        }
        events.Sort((x, y) => x.Day != y.Day ? x.Day.CompareTo(y.Day) : string.CompareOrdinal(x.KindName, y.KindName));
        return ([.. events.Where(e => e.ExplainedBy is null)], [.. events.Where(e => e.ExplainedBy is not null)]);

        TxnType? Type(AnomalyFinding f) => context.LineType(f.Subject.StartsWith("txn ", StringComparison.Ordinal) ? f.Subject["txn ".Length..] : f.Subject);
    }

    private static bool IsMonthly(AnomalyFinding f) => f.Date is null && f.Month is not null && f.Detector is "robust-z" or SeasonalResidualDetector.Name;

    private static bool Up(AnomalyFinding f) => f.Value >= (f.Expected ?? 0m);

    private static decimal Gap(AnomalyFinding f) => Math.Abs(f.Value - (f.Expected ?? 0m));

    private static bool Within(decimal a, decimal b, decimal factor) => a > 0m && b > 0m && a <= b * factor && b <= a * factor;

    private static AnomalyEvent? Event(List<AnomalyFinding> members, EventContext context)
    {
        var months = members.Where(IsMonthly).ToList();
        var trip = members.FirstOrDefault(f => f.Detector == RoundTripDetector.Name);
        var lines = members.Where(f => f.Detector == TxnSpikeDetector.Name).ToList();
        EventKind kind;
        if (months.Count > 0)
        {
            // The inflow side names a pass-through: the money came in first.
            var lead = months.FirstOrDefault(f => f.Subject == RobustZDetector.Inflow) ?? months[0];
            kind = (lead.Subject == RobustZDetector.Inflow, Up(lead)) switch
            {
                (true, true) => EventKind.InflowSpike,
                (true, false) => EventKind.InflowDrop,
                (false, true) => EventKind.OutflowSpike,
                _ => EventKind.OutflowDrop,
            };
        }
        else
        {
            kind = trip is not null ? EventKind.RoundTrip : EventKind.TxnSpike;
        }

        var amount = Math.Max(months.Select(Gap).DefaultIfEmpty().Max(),
            members.Where(f => !IsMonthly(f)).Select(f => f.Value).DefaultIfEmpty().Max());
        var scale = context.MedianMonthlyInflow is > 0m and var mi ? mi : (decimal?)null;

        if (kind == EventKind.TxnSpike)
        {
            // Material: the largest line against a typical month of its type.
            var biggest = lines.MaxBy(f => f.Value)!;
            var typeScale = context.LineType(biggest.Subject["txn ".Length..]) == TxnType.Debit ? context.MedianMonthlyOutflow : context.MedianMonthlyInflow;
            if (typeScale is > 0m and var ts && biggest.Value < MaterialShare * ts) return null;
        }

        var first = members.Where(f => f.Date is not null).Select(f => f.Date!.Value).DefaultIfEmpty().Min();
        var month = months.Count > 0 ? months[0].Month!.Value : CalendarMonth.Of(first);
        DateOnly? date = months.Count > 0 ? null : first;
        var period = date is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : month.ToString();
        var deviation = (months.Count > 0 ? months : members).Select(f => f.DeviationPct).Where(p => p is not null)
            .OrderByDescending(p => Math.Abs(p!.Value)).FirstOrDefault();

        var calendar = KnownCause(lines, months, context) ?? CalendarExplains(kind, month, months, lines.Count(f => !Recurs(f, context)) + (trip is null ? 0 : 1), deviation, context.CompleteMonths)
            ?? (trip is null ? TimingShift(months, context) ?? RecurringLines(lines, months, context) : null);
        var size = scale is { } s ? Rounding.Ratio(amount / s) : (decimal?)null;
        var detectors = members.Select(f => f.Detector).Distinct().Count();
        var bothSides = months.Select(f => f.Subject).Distinct().Count() > 1;
        Severity severity;
        string reason;
        if (calendar is not null)
        {
            (severity, reason) = (Severity.Low, Invariant($"explained, not raised: {calendar}"));
        }
        else if (size is not { } z)
        {
            severity = members.Max(f => f.Severity);
            reason = "no median monthly inflow to size it against: the detectors' own severity";
        }
        else if (z >= 1m && kind is not (EventKind.InflowDrop or EventKind.OutflowDrop))
        {
            (severity, reason) = (Severity.High, Invariant($"size {z:0.##} ≥ 1: a typical month's takings or more out of line"));
        }
        else if (z >= 0.5m && kind is EventKind.InflowDrop or EventKind.OutflowDrop && (detectors > 1 || bothSides))
        {
            (severity, reason) = (Severity.High, Invariant($"a drop of size {z:0.##} ≥ 0.5 confirmed by {(detectors > 1 ? "two detectors" : "both series")}"));
        }
        else if (z >= 0.5m && kind == EventKind.RoundTrip)
        {
            (severity, reason) = (Severity.High, Invariant($"a round trip of size {z:0.##} ≥ 0.5"));
        }
        else if (z >= 0.25m)
        {
            (severity, reason) = (Severity.Medium, Invariant($"size {z:0.##} ≥ 0.25"));
        }
        else
        {
            (severity, reason) = (Severity.Low, Invariant($"size {z:0.##} < 0.25"));
        }
        var swing = calendar is null && size is not null && months.Count > 0 && lines.Count == 0 && trip is null ? Swing(months, context) : null;
        if (swing is { } sw && severity > Severity.Low && amount < SwingMultiple * sw)
        {
            severity -= 1;
            reason += Invariant($"; one band lower: the gap is under {SwingMultiple:0}× the account's own month-to-month swing of {Rounding.Money(sw)}");
        }

        var why = new ExplanationBuilder();
        foreach (var f in members.OrderBy(f => f.Detector, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal))
            why.Input(Invariant($"{f.Detector} {f.Subject} {(f.Date is { } fd ? fd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : f.Month?.ToString())}"),
                Invariant($"{f.Value} vs {ExplanationBuilder.Format(f.Expected)} expected, score {f.Score}, {(f.DeviationPct is { } p ? Invariant($"{p:0.#}%") : "—")}, {f.Severity}"));
        why.Input("amount out of line", Rounding.Money(amount));
        why.Input("median monthly inflow", ExplanationBuilder.Format(context.MedianMonthlyInflow));
        why.Input("size", ExplanationBuilder.Format(size));
        why.Input("complete months", context.CompleteMonths.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (swing is not null) why.Input("own month-to-month swing", ExplanationBuilder.Format(swing));
        if (context.CompleteMonths < SeasonalMonths)
            why.Input("season", Invariant($"under {SeasonalMonths} complete months: no seasonal or calendar claims"));
        var facts = IndianCalendar.In(month).Where(f => f.What is not Observance.GstDue).ToList();
        if (facts.Count > 0) why.Input("calendar", string.Join(", ", facts));
        var what = kind switch
        {
            EventKind.InflowSpike => bothSides ? "Money came in far above the usual and went out again in the same month" : "Inflow far above the usual",
            EventKind.InflowDrop => bothSides ? "The business shrank: inflow and outflow both fell" : "Inflow far below the usual",
            EventKind.OutflowSpike => "Outflow far above the usual",
            EventKind.OutflowDrop => "Outflow far below the usual",
            EventKind.RoundTrip => "Money went out and came back from the same party",
            _ => lines.Count > 1 ? "A large credit passed straight through" : "A single line far outside the account's usual amounts",
        };
        why.Narrate(Invariant($"{what} in {period}: {Rounding.Money(amount)} out of line, found by {string.Join(", ", members.Select(f => f.Detector).Distinct())}. {severity}: {reason}."));
        var explanation = why.Build(Invariant($"event.{period}.{AnomalyEvent.Name(kind)}"), SeverityRule, severity.ToString());
        return new AnomalyEvent(period, month, date, kind, members, severity, Rounding.Money(amount), deviation, calendar, explanation);
    }

    /// <summary>
    /// A transaction the narration explains (a loan disbursal: new borrowing, not takings) explains its event when it
    /// is the group's largest line and, for a month, covers at least half the month's gap. Other lenders' loans are a
    /// credit signal of their own (the loan book and the risk signals show borrowing), not a cashflow anomaly.
    /// </summary>
    private static string? KnownCause(List<AnomalyFinding> lines, List<AnomalyFinding> months, EventContext context)
    {
        if (lines.Count == 0) return null;
        var biggest = lines.MaxBy(f => f.Value)!;
        if (context.Line(biggest.Subject["txn ".Length..]) is not { Cause: { } cause }) return null;
        if (months.Count > 0 && biggest.Value < 0.5m * months.Max(Gap)) return null;
        return Invariant($"{cause} of {biggest.Value} on {biggest.Date:yyyy-MM-dd}");
    }

    /// <summary>
    /// A timing shift: the event's largest monthly gap (value − expected) and its neighbouring month's gap from the same
    /// expected value point opposite ways and together come to at most <see cref="ShiftTolerance"/> of the gap. The
    /// money that is missing in one month is the money that is extra in the next: receipts that wrapped across the
    /// month end or a lump that came a few days late.
    /// </summary>
    private static string? TimingShift(List<AnomalyFinding> months, EventContext context)
    {
        if (months.Count == 0 || context.Months is not { Count: > 0 } series) return null;
        var lead = months.MaxBy(Gap)!;
        var gap = lead.Value - (lead.Expected ?? 0m);
        // A few days' money, not most of a month: a gap beyond half the expected month is no timing shift.
        if (gap == 0m || lead.Expected is not > 0m || Math.Abs(gap) > ShiftMaxShare * lead.Expected.Value) return null;
        var at = -1;
        for (var i = 0; i < series.Count; i++)
            if (series[i].Month == lead.Month) at = i;
        if (at < 0) return null;
        foreach (var n in new[] { at - 1, at + 1 })
        {
            if (n < 0 || n >= series.Count || series[n].Month.Index != series[at].Month.Index + (n - at)) continue;
            var other = (lead.Subject == RobustZDetector.Inflow ? series[n].Inflow : series[n].Outflow) - (lead.Expected ?? 0m);
            if (Math.Sign(other) == Math.Sign(gap) || Math.Abs(gap + other) > ShiftTolerance * Math.Abs(gap)) continue;
            return Invariant($"a timing shift across the month end: {lead.Subject} {lead.Month} was {Rounding.Money(gap)} off what was expected and {series[n].Month} {Rounding.Money(other)}, together {Rounding.Money(gap + other)} (within {ShiftTolerance * 100:0}% of the gap): money that came a few days early or late, not a change in the business");
        }
        return null;
    }

    /// <summary>
    /// A transaction-level event whose every line recurs: lines of the same type at least <see cref="RecurShare"/> of
    /// its size in <see cref="RecurMonths"/> other complete months or more. Lumpy receivables and suppliers paid in one
    /// evening run are the account's own cycle; a one-off capital credit or a round trip is not.
    /// </summary>
    private static string? RecurringLines(List<AnomalyFinding> lines, List<AnomalyFinding> months, EventContext context)
    {
        if (months.Count > 0 || lines.Count == 0 || context.MonthsHolding is not { } holding) return null;
        var least = int.MaxValue;
        foreach (var f in lines)
        {
            if (context.LineType(f.Subject["txn ".Length..]) is not { } type || f.Date is not { } day) return null;
            least = Math.Min(least, holding(type, RecurShare * f.Value, CalendarMonth.Of(day)));
            if (least < RecurMonths) return null;
        }
        var biggest = lines.MaxBy(f => f.Value)!;
        return Invariant($"a recurring line: lines of at least {RecurShare * 100:0}% of {biggest.Value} appear in {least} other months (the account's own cycle: receivables in lumps, suppliers paid in one run)");
    }

    /// <summary>Whether a txn-spike line's size recurs (<see cref="RecurringLines"/>): a routine lump in a festive month does not stop the calendar explaining it.</summary>
    private static bool Recurs(AnomalyFinding line, EventContext context) =>
        context.MonthsHolding is { } holding && context.LineType(line.Subject["txn ".Length..]) is { } type && line.Date is { } day
        && holding(type, RecurShare * line.Value, CalendarMonth.Of(day)) >= RecurMonths;

    /// <summary>The account's own month-to-month swing in the event's lead series: the median |month − previous month| over complete months.</summary>
    private static decimal? Swing(List<AnomalyFinding> months, EventContext context)
    {
        if (context.Months is not { Count: >= 3 } series) return null;
        var inflow = months.MaxBy(Gap)!.Subject == RobustZDetector.Inflow;
        var steps = new List<decimal>();
        for (var i = 1; i < series.Count; i++)
            if (series[i].Month.Index == series[i - 1].Month.Index + 1)
                steps.Add(Math.Abs(inflow ? series[i].Inflow - series[i - 1].Inflow : series[i].Outflow - series[i - 1].Outflow));
        return steps.Count == 0 ? null : DecimalMath.Median([.. steps]);
    }

    /// <summary>
    /// The calendar explains a monthly spike (nothing at transaction level behind it) that is no larger than a
    /// festival makes (≤ 100%) in a month holding a festival or the financial year's end, for customers with 13
    /// complete months or more. Diwali counts in its festive month (<see cref="IndianCalendar.FestiveMonth"/>).
    /// </summary>
    private static string? CalendarExplains(EventKind kind, CalendarMonth month, List<AnomalyFinding> months, int lineFindings, decimal? deviation, int completeMonths)
    {
        if (completeMonths < SeasonalMonths || months.Count == 0 || lineFindings > 0) return null;
        if (kind is not (EventKind.InflowSpike or EventKind.OutflowSpike)) return null;
        if (deviation is not { } dev || Math.Abs(dev) > 100m) return null;
        var facts = IndianCalendar.In(month).Where(f => Festive.Contains(f.What) && f.What != Observance.Diwali).Select(f => f.ToString()).ToList();
        if (IndianCalendar.FestiveMonth(month.Year) == month && IndianCalendar.Day(Observance.Diwali, month.Year) is { } diwali)
            facts.Insert(0, Invariant($"Diwali {diwali:yyyy-MM-dd} (festive month)"));
        return facts.Count == 0 ? null : string.Join(", ", facts);
    }
}
