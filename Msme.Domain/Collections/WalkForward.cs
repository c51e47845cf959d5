using System.Runtime.CompilerServices;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>One past presentment replayed: predicted and windowed with the data before its cut, then scored.</summary>
/// <param name="Probability">The model's probability, at the cut, that a presentment on the due date succeeds.</param>
public sealed record BacktestItem(
    string LoanId, string Customer, int Instalment, DateOnly DueDate, DateOnly RecommendedDate, double Probability,
    bool DueDateCovered, bool RecommendedCovered);

/// <summary>
/// The walk-forward backtest (docs/smart-collect-model.md, "Validation"): bounces on the due date against the
/// recommended date, and the due-date probability's Brier score, base-rate Brier and AUC against what happened.
/// </summary>
public sealed record WalkForwardResult(
    string ModelVersion,
    DateOnly EvaluateFrom,
    int Skipped,
    IReadOnlyList<BacktestItem> Items,
    IReadOnlyList<ReliabilityBin> Reliability)
{
    public int Presentments => Items.Count;
    public int DueDateBounces => Items.Count(i => !i.DueDateCovered);
    public int RecommendedBounces => Items.Count(i => !i.RecommendedCovered);
    public double DueDateBounceRate => Presentments == 0 ? 0 : DueDateBounces / (double)Presentments;
    public double RecommendedBounceRate => Presentments == 0 ? 0 : RecommendedBounces / (double)Presentments;

    /// <summary>1 − r2/r1; 0 when the due date never bounced.</summary>
    public double BounceReduction => DueDateBounces == 0 ? 0 : 1 - RecommendedBounceRate / DueDateBounceRate;

    public double Brier => Presentments == 0 ? 0 : Items.Average(i => Sq(i.Probability - (i.DueDateCovered ? 1 : 0)));

    public double BaseRateBrier
    {
        get
        {
            if (Presentments == 0) return 0;
            var rate = Items.Count(i => i.DueDateCovered) / (double)Presentments;
            return rate * (1 - rate);
        }
    }

    /// <summary>Probability that a covered due date scores above an uncovered one (ties count half): Mann–Whitney.</summary>
    public double Auc => WalkForward.Auc(Items.Select(i => (i.Probability, i.DueDateCovered)));

    private static double Sq(double v) => v * v;
}

/// <summary>
/// Replays the book: every past presentment is predicted, and its window chosen, with only the statement before its
/// cut (the day before the allowed window opens) and the loan's presentments before that day.
/// </summary>
public static class WalkForward
{
    /// <summary>Fewest complete months before the cut for a presentment to be replayed (and trained on).</summary>
    public const int MinHistoryMonths = 3;

    /// <summary>The cut: the day before the allowed window [due − WindowBefore, due + WindowAfter] opens.</summary>
    public static DateOnly CutFor(DateOnly dueDate, ForecastOptions options) => dueDate.AddDays(-options.WindowBefore - 1);

    /// <summary>
    /// Covered on day D: the end-of-day available balance (closing balance plus OD limit), with this loan's own EMI
    /// debits and bounce charges dated within the 15 days before D added back, is at least the EMI. Null outside the statement.
    /// </summary>
    public static bool? Covered(Loan loan, DepositAccount account, AccountAnalysis full, DateOnly day, ForecastOptions options)
    {
        if (!full.DailyBalances.Contains(day)) return null;
        var od = options.UseOverdraftLimit && account.Summary?.CurrentOdLimit is > 0 and var limit ? limit : 0m;
        var own = 0m;
        foreach (var t in OwnLines(loan, account))
        {
            var age = day.DayNumber - t.Date.DayNumber;
            if (age >= 0 && age <= options.OwnLineLookbackDays) own += t.Amount;
        }
        return full.DailyBalances[day] + od + own >= loan.Emi;
    }

    /// <summary>Presentments due on or after this day are scored; earlier ones train: the last six months of the book.</summary>
    public static DateOnly DefaultEvaluateFrom(IEnumerable<(Loan Loan, DepositAccount Account)> portfolio)
    {
        var end = portfolio.Where(p => p.Account.Transactions.Count > 0).Select(p => p.Account.Transactions.Max(t => t.Date)).DefaultIfEmpty(DateOnly.MinValue).Max();
        return end == DateOnly.MinValue ? end : new DateOnly(end.Year, end.Month, 1).AddMonths(-5);
    }

    /// <summary>Fits the model on the presentments due before <paramref name="evaluateFrom"/>: every day of each one's window is a row.</summary>
    public static FittedPresentmentModel Fit(IReadOnlyList<(Loan Loan, DepositAccount Account)> portfolio, DateOnly evaluateFrom, ForecastOptions? options = null, double lambda = 1.0, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        options = (options ?? ForecastOptions.Default) with { Model = null };
        var rows = new List<double[]>();
        var labels = new List<bool>();
        DateOnly? first = null;
        DateOnly last = default;
        foreach (var (loan, account, full, i, model) in Replay(portfolio, options, d => d < evaluateFrom))
        {
            for (var day = i.DueDate.AddDays(-options.WindowBefore); day <= i.DueDate.AddDays(options.WindowAfter); day = day.AddDays(1))
            {
                if (Covered(loan, account, full, day, options) is not { } covered) continue;
                var est = model.Day(day);
                var x = new double[PresentmentFeatures.Count];
                model.Features(est.MonthsCovered, est.Months, day, est.Requirement, x);
                rows.Add(x);
                labels.Add(covered);
            }
            first = first is { } f && f < i.DueDate ? f : i.DueDate;
            if (i.DueDate > last) last = i.DueDate;
        }
        var from = first ?? evaluateFrom;
        return LogisticRegression.Fit(rows, labels, lambda, version ?? $"lr-{from:yyyyMMdd}-{last:yyyyMMdd}-{rows.Count}", from, last);
    }

    /// <summary>Scores every presentment due on or after <paramref name="evaluateFrom"/> with the options' model.</summary>
    public static WalkForwardResult Run(IReadOnlyList<(Loan Loan, DepositAccount Account)> portfolio, DateOnly evaluateFrom, ForecastOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        options ??= ForecastOptions.Default;
        var items = new List<BacktestItem>();
        var skipped = 0;
        foreach (var (loan, account, full, i, model) in Replay(portfolio, options, d => d >= evaluateFrom, () => skipped++))
        {
            if (Covered(loan, account, full, i.DueDate, options) is not { } dueCovered) continue;
            var window = model.BestWindow(i.DueDate.AddDays(-options.WindowBefore), i.DueDate.AddDays(options.WindowAfter), i.DueDate);
            if (window is null || Covered(loan, account, full, window.From, options) is not { } recCovered) continue;
            items.Add(new(loan.LoanId, loan.Customer, i.Number, i.DueDate, window.From, model.Day(i.DueDate).Probability, dueCovered, recCovered));
        }
        var version = options.Model?.Version ?? (options.Adjust ? "model-1-hand-set" : "base-rate-by-day");
        return new(version, evaluateFrom, skipped, items, Reliability(items));
    }

    /// <summary>Each presented instalment whose whole window lies inside the statement, with the model as it stood at its cut.</summary>
    private static IEnumerable<(Loan Loan, DepositAccount Account, AccountAnalysis Full, LoanInstalment Instalment, PresentmentModel Model)> Replay(
        IReadOnlyList<(Loan Loan, DepositAccount Account)> portfolio, ForecastOptions options, Func<DateOnly, bool> due, Action? skip = null)
    {
        var fulls = new ConditionalWeakTable<DepositAccount, AccountAnalysis>();
        var cuts = new ConditionalWeakTable<DepositAccount, Dictionary<DateOnly, (DepositAccount, AccountAnalysis)>>();
        foreach (var (loan, account) in portfolio)
        {
            if (account.Transactions.Count == 0) continue;
            var full = fulls.GetValue(account, CashflowAnalyzer.Analyze);
            var cache = cuts.GetValue(account, _ => []);
            foreach (var i in loan.Instalments)
            {
                if (i.PresentedDate is null || !due(i.DueDate)) continue;
                if (!full.DailyBalances.Contains(i.DueDate.AddDays(options.WindowAfter))) continue;
                var cut = CutFor(i.DueDate, options);
                var (truncated, analysis) = Backtest.Truncated(account, cut, cache);
                if (analysis.CompleteMonthCount < MinHistoryMonths)
                {
                    skip?.Invoke();
                    continue;
                }
                yield return (loan, account, full, i, new PresentmentModel(loan, analysis, truncated, cut, options));
            }
        }
    }

    private static readonly ConditionalWeakTable<Loan, ConditionalWeakTable<DepositAccount, List<Transaction>>> OwnCache = new();

    private static List<Transaction> OwnLines(Loan loan, DepositAccount account) =>
        OwnCache.GetValue(loan, _ => new()).GetValue(account, a => CollectionLines.OwnLines(loan, a));

    internal static double Auc(IEnumerable<(double Score, bool Positive)> scored)
    {
        var list = scored.OrderBy(s => s.Score).ToList();
        long pos = list.Count(s => s.Positive), neg = list.Count - pos;
        if (pos == 0 || neg == 0) return 0.5;
        // Average ranks over ties, then the Mann–Whitney U of the positives.
        double rankSum = 0;
        for (var i = 0; i < list.Count;)
        {
            var j = i;
            while (j < list.Count && list[j].Score == list[i].Score) j++;
            var rank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++) if (list[k].Positive) rankSum += rank;
            i = j;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / (pos * (double)neg);
    }

    internal static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<BacktestItem> items) =>
        Backtest.Score([.. items.Select(i => new BacktestPrediction(i.LoanId, i.Instalment, i.DueDate, i.Probability, i.DueDateCovered, 0))], 0).Reliability;
}
