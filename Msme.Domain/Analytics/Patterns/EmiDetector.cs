using System.Text.RegularExpressions;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Patterns;

/// <summary>A bounce charge and the EMI series (and presentment) it belongs to.</summary>
/// <param name="Lender">The series' lender; null when no series could be matched.</param>
/// <param name="MatchedBy">"lender", "mandate", "due-day", or "unmatched".</param>
/// <param name="PresentmentDate">The series' due date in the charge's month (or the month before when the charge follows a late presentment); null when unmatched.</param>
public sealed record BounceMatch(
    string ChargeTxnId,
    DateOnly Date,
    decimal Amount,
    string Narration,
    string? Lender,
    string MatchedBy,
    DateOnly? PresentmentDate,
    Explanation Explanation);

/// <summary>A loan's monthly mandate debits (ACH/NACH/ECS or an EMI named as such) and the bounces matched to it.</summary>
public sealed record EmiSeries(
    string Lender,
    IReadOnlyList<string> MandateRefs,
    decimal Emi,
    int DueDay,
    IReadOnlyList<CalendarMonth> MonthsPaid,
    IReadOnlyList<string> DebitTxnIds,
    IReadOnlyList<BounceMatch> Bounces,
    Explanation Explanation);

/// <summary>EMI series and bounces of one account.</summary>
public sealed record EmiReport(IReadOnlyList<EmiSeries> Series, IReadOnlyList<BounceMatch> UnmatchedBounces)
{
    public int BounceCount => Series.Sum(s => s.Bounces.Count) + UnmatchedBounces.Count;
}

/// <summary>
/// EMI series: LoanEmi debits grouped by lender (the counterparty), amounts within ±10% of the group median, at least
/// 2 months. Two, not the 3 of <see cref="RecurringDetector"/>: a mandate debit from a lender is already strong
/// evidence, and a borrower who bounces often shows few successful debits: the very accounts a lender must see.
/// Bounces (BounceCharges lines: RTN, RETURN, BOUNCE, "ACH RTN CHRG", "NACH RETURN CHARGES", INSUFFICIENT) are
/// matched to a series in this order: the charge names the series' lender; the charge carries a mandate reference
/// (UMRN) one of the series' debits carries; the charge names neither, and falls within ±3 days (circular) of
/// exactly the nearest series' due day. A charge that names a lender or mandate no series has stays unmatched
/// (every presentment of that loan may have bounced): guessing by day would pin it on the wrong loan.
/// </summary>
public static class EmiDetector
{
    public const int MinimumMonths = 2;
    public const int DueDayTolerance = 3;

    // UMRNs (bank code + 16 digits), UPI mandate ids, and long alphanumeric references with digits.
    private static readonly Regex MandateToken = new(@"\b(?=[A-Z0-9]*\d)[A-Z0-9]{10,}\b", RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static EmiReport Detect(IReadOnlyList<ClassifiedTransaction> txns)
    {
        ArgumentNullException.ThrowIfNull(txns);
        var byLender = new Dictionary<string, List<ClassifiedTransaction>>();
        var charges = new List<ClassifiedTransaction>();
        foreach (var t in txns)
        {
            if (t.Type != TxnType.Debit) continue;
            if (t.Class.Category == Category.BounceCharges) charges.Add(t);
            else if (t.Class.Category == Category.LoanEmi && t.Class.Counterparty is { } lender)
            {
                var key = LenderKey(lender);
                if (!byLender.TryGetValue(key, out var list)) byLender[key] = list = [];
                list.Add(t);
            }
        }

        var drafts = new List<Draft>();
        foreach (var (lender, list) in byLender)
        {
            foreach (var cluster in RecurringDetector.AmountClustersOf(list, MinimumMonths))
            {
                var months = cluster.Select(t => t.Month).Distinct().Order().ToList();
                if (months.Count < MinimumMonths) continue;
                var refs = cluster.SelectMany(t => Tokens(t.Txn.Narration)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                drafts.Add(new Draft(lender, cluster, months, refs, Rounding.Money(RecurringDetector.MedianAmount(cluster)),
                    RecurringDetector.CircularMedoid([.. cluster.Select(t => t.Date.Day)])));
            }
        }

        var unmatched = new List<BounceMatch>();
        foreach (var charge in charges)
        {
            var (draft, how) = Match(charge, drafts);
            if (draft is null)
            {
                unmatched.Add(Bounce(charge, null, how, null));
                continue;
            }
            draft.Bounces.Add(Bounce(charge, draft, how, PresentmentDate(charge.Date, draft.DueDay)));
        }

        var series = drafts.Select(d =>
        {
            var why = new ExplanationBuilder();
            foreach (var t in d.Debits) why.Input(Invariant($"{t.Date:yyyy-MM-dd} {t.Txn.TxnId}"), t.Amount);
            foreach (var b in d.Bounces) why.Input(Invariant($"bounce {b.Date:yyyy-MM-dd} {b.ChargeTxnId} ({b.MatchedBy})"), b.Amount);
            why.Narrate(Invariant($"{d.Lender} collects about {d.Emi} around day {d.DueDay}: paid in {d.Months.Count} month(s), {d.Bounces.Count} bounce charge(s) matched."));
            return new EmiSeries(d.Lender, d.Refs, d.Emi, d.DueDay, d.Months, [.. d.Debits.Select(t => t.Txn.TxnId)], d.Bounces,
                why.Build("emi-series", "LoanEmi debits by lender, amounts within ±10% of the median, ≥ 2 months",
                    Invariant($"{d.Emi} on day {d.DueDay}, {d.Months.Count} paid, {d.Bounces.Count} bounced")));
        }).OrderByDescending(s => s.Emi).ToList();
        return new EmiReport(series, unmatched);
    }

    private static (Draft? Series, string How) Match(ClassifiedTransaction charge, List<Draft> drafts)
    {
        var narration = charge.Txn.Narration ?? "";
        if (charge.Class.Counterparty is { } named)
        {
            var key = LenderKey(named);
            var byName = drafts.Where(d => d.Lender == key).ToList();
            if (byName.Count > 0) return (Nearest(byName, charge.Date), "lender");
        }
        var tokens = Tokens(narration).ToList();
        if (tokens.Count > 0)
        {
            var byRef = drafts.Where(d => d.Refs.Any(r => tokens.Contains(r, StringComparer.OrdinalIgnoreCase))).ToList();
            if (byRef.Count > 0) return (Nearest(byRef, charge.Date), "mandate");
        }
        if (charge.Class.Counterparty is not null || tokens.Count > 0) return (null, "unmatched");
        var byDay = drafts.Where(d => CashflowFigures.CircularDistance(d.DueDay, charge.Date.Day) <= DueDayTolerance).ToList();
        return byDay.Count > 0 ? (Nearest(byDay, charge.Date), "due-day") : (null, "unmatched");
    }

    private static Draft Nearest(List<Draft> candidates, DateOnly date) =>
        candidates.OrderBy(d => CashflowFigures.CircularDistance(d.DueDay, date.Day)).ThenByDescending(d => d.Emi).First();

    /// <summary>The due date the charge most plausibly follows: this month's due day, or last month's if that is later than the charge.</summary>
    private static DateOnly PresentmentDate(DateOnly charge, int dueDay)
    {
        var thisMonth = new DateOnly(charge.Year, charge.Month, Math.Min(dueDay, DateTime.DaysInMonth(charge.Year, charge.Month)));
        if (thisMonth <= charge) return thisMonth;
        var previous = charge.AddMonths(-1);
        return new DateOnly(previous.Year, previous.Month, Math.Min(dueDay, DateTime.DaysInMonth(previous.Year, previous.Month)));
    }

    private static BounceMatch Bounce(ClassifiedTransaction charge, Draft? series, string how, DateOnly? presented)
    {
        var why = new ExplanationBuilder();
        why.Input("charge", Invariant($"{charge.Date:yyyy-MM-dd} {charge.Txn.TxnId} {charge.Amount}"));
        why.Input("narration", charge.Txn.Narration ?? "");
        if (series is not null)
        {
            why.Input("series", Invariant($"{series.Lender}, {series.Emi} on day {series.DueDay}"));
            why.Narrate(how switch
            {
                "lender" => Invariant($"The charge names {series.Lender}, whose EMI series it belongs to."),
                "mandate" => Invariant($"The charge carries a mandate reference that {series.Lender}'s EMI debits carry."),
                _ => Invariant($"The charge names no lender or mandate; it falls within ±{DueDayTolerance} days of {series.Lender}'s due day {series.DueDay}."),
            });
        }
        else
        {
            why.Narrate("No EMI series matches: the charge names a lender or mandate with no successful debit here, or no series is due within ±3 days.");
        }
        return new BounceMatch(charge.Txn.TxnId, charge.Date, charge.Amount, charge.Txn.Narration ?? "", series?.Lender, how, presented,
            why.Build("bounce", "lender named, else mandate reference shared, else due day ±3 days", series?.Lender ?? "unmatched"));
    }

    private static IEnumerable<string> Tokens(string? narration)
    {
        if (string.IsNullOrEmpty(narration)) yield break;
        foreach (Match m in MandateToken.Matches(narration)) yield return m.Value.ToUpperInvariant();
    }

    // Lenders appear as "BAJAJ FINANCE LTD" in ACH lines and "BAJAJ FINANCE LTD EMI" in UPI AutoPay ones.
    private static string LenderKey(string name) => name.EndsWith(" EMI", StringComparison.Ordinal) ? name[..^4] : name;

    private sealed record Draft(string Lender, List<ClassifiedTransaction> Debits, List<CalendarMonth> Months, List<string> Refs, decimal Emi, int DueDay)
    {
        public List<BounceMatch> Bounces { get; } = [];
    }
}
