using System.Globalization;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>A debit known to recur before the EMI in a month that the balance history does not show yet (e.g. a new loan).</summary>
public sealed record KnownDebit(int DayOfMonth, decimal Amount, string Label);

/// <summary>Settings of the Smart Collect model. The defaults are the documented ones (docs/smart-collect-model.md).</summary>
/// <param name="WindowBefore">Earliest allowed presentment, in days before the due date.</param>
/// <param name="WindowAfter">Latest allowed presentment, in days after the due date.</param>
/// <param name="MaxWindowDays">Longest presentment window (a contiguous run of days).</param>
/// <param name="HorizonDays">Upcoming collections: instalments due within this many days from asOf.</param>
/// <param name="BounceLookback">Recent presentments the bounce adjustment looks at.</param>
/// <param name="OwnLineLookbackDays">This loan's own debits within this many days before a sampled day are added back.</param>
/// <param name="Adjust">False to report the smoothed base alone (the backtest compares both).</param>
public sealed record ForecastOptions(
    int WindowBefore = 3,
    int WindowAfter = 5,
    int MaxWindowDays = 3,
    int HorizonDays = 30,
    int BounceLookback = 6,
    int OwnLineLookbackDays = 15,
    bool UseOverdraftLimit = true,
    bool Adjust = true)
{
    public static readonly ForecastOptions Default = new();

    /// <summary>
    /// The fitted model that turns the features into a probability (<see cref="FittedCoefficients.Current"/> by default);
    /// null for the hand-set adjustments of model 1 (kept as the benchmark's and backtest's baseline).
    /// </summary>
    public FittedPresentmentModel? Model { get; init; } = FittedCoefficients.Current;

    /// <summary>Recurring debits to add to the requirement on days at or after their day of month.</summary>
    public IReadOnlyList<KnownDebit> OtherDebits { get; init; } = [];

    /// <summary>Bounds of every probability the model reports.</summary>
    public const double Floor = 0.02, Ceiling = 0.98;

    /// <summary>Log-odds added when the latest balance (1-3 days before the day) covers the requirement, and when it does not.</summary>
    public const double LatestCoveredLogOdds = 1.5, LatestShortLogOdds = -2.0;

    /// <summary>The latest balance counts only when the statement ends this few days before the candidate day.</summary>
    public const int LatestBalanceMaxGapDays = 3;

    /// <summary>The inflow-trend term ln(last 3 / prior 3) is clamped to [TrendMin, TrendMax].</summary>
    public const double TrendMin = -1.0, TrendMax = 0.5;
}

/// <summary>One candidate presentment day: how often the balance covered the requirement in past complete months.</summary>
/// <param name="MonthsCovered">k: complete months whose available balance on that day of month was at least the requirement.</param>
/// <param name="Months">n: complete months sampled.</param>
/// <param name="BaseProbability">(k + 1) / (n + 2).</param>
/// <param name="Probability">The base moved by the bounce and trend adjustments, bounded to [0.02, 0.98].</param>
/// <param name="ExpectedBalance">Median of the sampled months' available balance on that day; null without months.</param>
public sealed record DayEstimate(DateOnly Date, int MonthsCovered, int Months, double BaseProbability, double Probability, decimal? ExpectedBalance, decimal Requirement);

/// <summary>The adjustments applied on top of the empirical base, with their inputs (docs/smart-collect-model.md).</summary>
/// <param name="RecentPresentments">m: the loan's last presentments before the cutoff (up to BounceLookback).</param>
/// <param name="RecentBounces">b: how many of them were returned.</param>
/// <param name="TrendLogOdds">ln(inflow last 3 complete months / prior 3), clamped; 0 with under 6 complete months.</param>
/// <param name="LatestBalance">Available balance on the statement's last day, when that day is 1-3 days before the candidate.</param>
public sealed record ModelAdjustments(
    int RecentPresentments, int RecentBounces,
    decimal? InflowLast3, decimal? InflowPrior3, double TrendLogOdds,
    DateOnly? LastStatementDay, decimal? LatestBalance);

/// <summary>
/// The Smart Collect probability model for one loan on one account with data up to a cutoff (docs/smart-collect-model.md).
/// Built once per (loan, analysis) and asked about candidate days; pure over its inputs.
/// </summary>
internal sealed class PresentmentModel
{
    private readonly Loan _loan;
    private readonly AccountAnalysis _analysis;
    private readonly ForecastOptions _options;
    private readonly MonthlyFigures[] _months;
    private readonly int[] _ownDays;
    private readonly decimal[] _ownAmounts;
    private readonly decimal _overdraft;

    public PresentmentModel(Loan loan, AccountAnalysis analysis, DepositAccount account, DateOnly cutoff, ForecastOptions options)
    {
        _loan = loan;
        _analysis = analysis;
        _options = options;
        _months = [.. analysis.CompleteMonths()];
        var own = CollectionLines.OwnLines(loan, account);
        _ownDays = [.. own.Select(t => t.Date.DayNumber)];
        _ownAmounts = [.. own.Select(t => t.Amount)];
        _overdraft = options.UseOverdraftLimit && account.Summary?.CurrentOdLimit is > 0 and var od ? od : 0m;
        Adjustments = ComputeAdjustments(loan, cutoff);
    }

    public int HistoryMonths => _months.Length;

    public decimal Overdraft => _overdraft;

    public ModelAdjustments Adjustments { get; }

    public AccountAnalysis Analysis => _analysis;

    public decimal RequirementOn(int dayOfMonth)
    {
        var r = _loan.Emi;
        foreach (var d in _options.OtherDebits)
            if (d.DayOfMonth <= dayOfMonth) r += d.Amount;
        return r;
    }

    /// <summary>Available funds on the given day of a past complete month: closing balance + OD limit + this loan's own lines of the last days.</summary>
    public decimal Available(int monthIndex, int dayOfMonth, out DateOnly day)
    {
        var m = _months[monthIndex].Month;
        day = new DateOnly(m.Year, m.Month, Math.Min(dayOfMonth, DateTime.DaysInMonth(m.Year, m.Month)));
        return _analysis.DailyBalances[day] + _overdraft + OwnLinesWithin(day);
    }

    /// <summary>The day of month sampled for a calendar day: its day, except that a month's last day stands for every month's last day.</summary>
    internal static int SampleDay(DateOnly date) => date.Day == DateTime.DaysInMonth(date.Year, date.Month) ? 31 : date.Day;

    public DayEstimate Day(DateOnly date)
    {
        var sample = SampleDay(date);
        var requirement = RequirementOn(sample);
        var n = _months.Length;
        if (n == 0) return new(date, 0, 0, 0.5, Adjust(0, 0, date, requirement), null, requirement);
        var k = 0;
        Span<decimal> values = n <= 64 ? stackalloc decimal[n] : new decimal[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = Available(i, sample, out _);
            if (values[i] >= requirement) k++;
        }
        var p0 = (k + 1.0) / (n + 2.0);
        return new(date, k, n, p0, Adjust(k, n, date, requirement), Rounding.Money(Median(values)), requirement);
    }

    /// <summary>
    /// The best contiguous run of 1..MaxWindowDays days in [from, to]: the most months in which every day of the run
    /// was covered; ties go to the longer run, then the run nearer the due date, then the earlier one.
    /// </summary>
    public PresentmentWindow? BestWindow(DateOnly from, DateOnly to, DateOnly dueDate)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        if (days <= 0) return null;
        var n = _months.Length;
        // covered[d][i]: day d of the range covered in month i; available[d][i] for the expected balance.
        var covered = new bool[days, Math.Max(n, 1)];
        var available = new decimal[days, Math.Max(n, 1)];
        for (var d = 0; d < days; d++)
        {
            var sample = SampleDay(from.AddDays(d));
            var requirement = RequirementOn(sample);
            for (var i = 0; i < n; i++)
            {
                available[d, i] = Available(i, sample, out _);
                covered[d, i] = available[d, i] >= requirement;
            }
        }
        (int Start, int Length, int K, double Score)? best = null;
        for (var length = 1; length <= _options.MaxWindowDays; length++)
        for (var start = 0; start + length <= days; start++)
        {
            var k = 0;
            for (var i = 0; i < n; i++)
            {
                var all = true;
                for (var d = start; d < start + length && all; d++) all = covered[d, i];
                if (all) k++;
            }
            // Under a fitted model a run scores its probability: the model's other features (credit day, latest
            // balance, festival) move the choice, not the months alone. Rounding it to 0.01 so that longer runs win
            // near ties cost 5 points of bounce reduction in the walk-forward backtest (0.60 vs 0.65).
            var score = _options.Model is not null && _options.Adjust
                ? Adjust(k, n, from.AddDays(start), RequirementOn(SampleDay(from.AddDays(start)))) * 1000
                : k;
            if (best is not { } b || score > b.Score || (score == b.Score && length > b.Length)
                || (score == b.Score && length == b.Length && Distance(from, start, length, dueDate) < Distance(from, b.Start, b.Length, dueDate)))
                best = (start, length, k, score);
        }
        var (s, l, kk, _) = best!.Value;
        decimal? expected = null;
        if (n > 0)
        {
            var worst = new decimal[n];
            for (var i = 0; i < n; i++)
            {
                worst[i] = decimal.MaxValue;
                for (var d = s; d < s + l; d++) worst[i] = Math.Min(worst[i], available[d, i]);
            }
            expected = Rounding.Money(Median(worst));
        }
        var p0 = (kk + 1.0) / (n + 2.0);
        var first = from.AddDays(s);
        return new PresentmentWindow(first, from.AddDays(s + l - 1), Adjust(kk, n, first, RequirementOn(SampleDay(first))), p0, kk, n, expected);
    }

    private static int Distance(DateOnly from, int start, int length, DateOnly due)
    {
        var a = from.AddDays(start).DayNumber - due.DayNumber;
        var b = a + length - 1;
        return a <= 0 && b >= 0 ? 0 : Math.Min(Math.Abs(a), Math.Abs(b));
    }

    /// <summary>
    /// The pooled estimate (k + s + 1) / (n + m + 2), where s of the last m presentments succeeded, moved in log-odds by
    /// the inflow trend and the latest balance, bounded to [0.02, 0.98]. Without adjustments: (k + 1) / (n + 2), bounded.
    /// </summary>
    public double Adjust(int k, int n, DateOnly date, decimal requirement)
    {
        if (!_options.Adjust) return Math.Clamp((k + 1.0) / (n + 2.0), ForecastOptions.Floor, ForecastOptions.Ceiling);
        if (_options.Model is { } fitted)
            return Math.Clamp(Sigmoid(FittedLogOdds(fitted, k, n, date, requirement)), ForecastOptions.Floor, ForecastOptions.Ceiling);
        var a = Adjustments;
        var pooled = (k + a.RecentPresentments - a.RecentBounces + 1.0) / (n + a.RecentPresentments + 2.0);
        var p = Sigmoid(Logit(pooled) + a.TrendLogOdds + LatestLogOdds(date, requirement));
        return Math.Clamp(p, ForecastOptions.Floor, ForecastOptions.Ceiling);
    }

    /// <summary>The features of <see cref="PresentmentFeatures"/> for a candidate day covered in k of n months.</summary>
    public void Features(int k, int n, DateOnly date, decimal requirement, Span<double> x)
    {
        var a = Adjustments;
        x[0] = CoverageFeature(k, n);
        x[1] = Logit((a.RecentPresentments - a.RecentBounces + 1.0) / (a.RecentPresentments + 2.0));
        x[2] = a.TrendLogOdds;
        x[3] = LatestFeature(requirement);
        x[4] = CreditDayFeature(date);
        x[5] = _analysis.Metrics.StabilityTier switch
        {
            StabilityTier.High => 0,
            StabilityTier.Medium => 1 / 3.0,
            StabilityTier.VeryLow => 1,
            _ => 2 / 3.0,
        };
        x[6] = _loan.Emi > 0 ? Math.Log(1 + (double)(_overdraft / _loan.Emi)) : 0;
        x[7] = FestivalFeature(date);
        x[8] = Math.Min(n, 12) / 12.0;
    }

    private static double CoverageFeature(int k, int n) => Logit((k + 1.0) / (n + 2.0));

    private double LatestFeature(decimal requirement) =>
        Adjustments.LatestBalance is { } latest && requirement > 0
            ? Math.Clamp(Math.Log((double)Math.Max(latest, requirement * 0.05m) / (double)requirement), -3, 3)
            : 0;

    private double CreditDayFeature(DateOnly date)
    {
        if (_analysis.Metrics.TypicalCreditDay is not { } tcd) return 0;
        var after = date.Day - tcd;
        if (after > 15) after -= 31;
        else if (after <= -15) after += 31;
        return Math.Clamp(after / 15.0, -1, 1);
    }

    private static double FestivalFeature(DateOnly date) =>
        FestivalCalendar.DaysToNextDiwali(date) is { } toDiwali && toDiwali <= 40 ? 1 - toDiwali / 40.0 : 0;

    // The loan's own features (bounce record, trend, stability, OD headroom, history) do not change between candidate
    // days: their log-odds are summed once. Recomputing all nine per candidate made 10,000 loans 24 % slower than model 1.
    private double? _fixedLogOdds;

    private double FittedLogOdds(FittedPresentmentModel m, int k, int n, DateOnly date, decimal requirement)
    {
        if (_fixedLogOdds is not { } fixedPart)
        {
            Span<double> x = stackalloc double[PresentmentFeatures.Count];
            Features(k, n, date, requirement, x);
            fixedPart = m.Intercept;
            foreach (var j in FixedFeatures) fixedPart += Term(m, j, x[j]);
            _fixedLogOdds = fixedPart;
        }
        return fixedPart + Term(m, 0, CoverageFeature(k, n)) + Term(m, 3, LatestFeature(requirement))
            + Term(m, 4, CreditDayFeature(date)) + Term(m, 7, FestivalFeature(date));
    }

    private static readonly int[] FixedFeatures = [1, 2, 5, 6, 8];

    private static double Term(FittedPresentmentModel m, int j, double value) => m.Coefficients[j] * (value - m.Means[j]) / m.Scales[j];

    /// <summary>The fitted model's explanation for a presentment on <paramref name="date"/>; null under model 1.</summary>
    public string? ExplainFitted(DateOnly date)
    {
        if (_options.Model is not { } fitted || !_options.Adjust) return null;
        var d = Day(date);
        Span<double> x = stackalloc double[PresentmentFeatures.Count];
        Features(d.MonthsCovered, d.Months, date, d.Requirement, x);
        return fitted.Explain(x);
    }

    /// <summary>The latest-balance term for a candidate day: 0 unless the statement ends 1-3 days before it.</summary>
    public double LatestLogOdds(DateOnly date, decimal requirement)
    {
        if (Adjustments is not { LastStatementDay: { } last, LatestBalance: { } latest }) return 0;
        var gap = date.DayNumber - last.DayNumber;
        if (gap < 1 || gap > ForecastOptions.LatestBalanceMaxGapDays) return 0;
        return latest >= requirement ? ForecastOptions.LatestCoveredLogOdds : ForecastOptions.LatestShortLogOdds;
    }

    private ModelAdjustments ComputeAdjustments(Loan loan, DateOnly cutoff)
    {
        var (m, b) = RecentPresentments(loan, cutoff, _options.BounceLookback);
        decimal? last3 = null, prior3 = null;
        var trend = 0.0;
        if (_months.Length >= 6)
        {
            last3 = _months[^3..].Sum(x => x.Inflow);
            prior3 = _months[^6..^3].Sum(x => x.Inflow);
            if (prior3 > 0 && last3 > 0)
                trend = Math.Clamp(Math.Log((double)(last3.Value / prior3.Value)), ForecastOptions.TrendMin, ForecastOptions.TrendMax);
            else if (prior3 > 0) trend = ForecastOptions.TrendMin;
        }
        DateOnly? lastDay = null;
        decimal? latest = null;
        if (_analysis.DailyBalances.Count > 0)
        {
            var day = _analysis.DailyBalances.Last;
            if (day >= cutoff) day = cutoff.AddDays(-1);
            if (_analysis.DailyBalances.Contains(day))
            {
                lastDay = day;
                latest = _analysis.DailyBalances[day] + _overdraft + OwnLinesWithin(day);
            }
        }
        return new(m, b, last3, prior3, trend, lastDay, latest is { } l ? Rounding.Money(l) : null);
    }

    private decimal OwnLinesWithin(DateOnly day)
    {
        var sum = 0m;
        for (var i = 0; i < _ownDays.Length; i++)
        {
            var age = day.DayNumber - _ownDays[i];
            if (age >= 0 && age <= _options.OwnLineLookbackDays) sum += _ownAmounts[i];
        }
        return sum;
    }

    /// <summary>The last <paramref name="lookback"/> presentments before the cutoff and how many were returned.</summary>
    internal static (int Presentments, int Bounces) RecentPresentments(Loan loan, DateOnly cutoff, int lookback)
    {
        var list = new List<(DateOnly Date, bool Bounced)>();
        foreach (var i in loan.Instalments)
        {
            if (i.Attempts.Count > 0)
            {
                foreach (var a in i.Attempts)
                    if (a.Presentment && a.Date < cutoff) list.Add((a.Date, a.Bounced));
            }
            else if (i.PresentedDate is { } p && p < cutoff && i.FirstPresentmentBounced is { } bounced)
                list.Add((p, bounced));
        }
        list.Sort((x, y) => x.Date.CompareTo(y.Date));
        var recent = list.Count > lookback ? list.GetRange(list.Count - lookback, lookback) : list;
        return (recent.Count, recent.Count(x => x.Bounced));
    }

    internal static double Logit(double p) => Math.Log(p / (1 - p));

    internal static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static decimal Median(Span<decimal> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2m;
    }

    internal static string P(double p) => p.ToString("0.00", CultureInfo.InvariantCulture);
}
