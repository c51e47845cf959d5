using System.Globalization;
using System.Text;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>One past presentment predicted walk-forward, and what happened.</summary>
public sealed record BacktestPrediction(string LoanId, int InstalmentNumber, DateOnly PresentedDate, double Predicted, bool Succeeded, int HistoryMonths);

/// <summary>One of the ten probability bins [k/10, (k+1)/10) of the reliability table (the last includes 1.0).</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double? MeanPredicted, double? ObservedRate);

/// <summary>Calibration of the model over a portfolio: Brier score against the base rate's, and the reliability table.</summary>
/// <param name="Skipped">Past presentments with a known outcome left out for too little history before their due date.</param>
public sealed record BacktestResult(
    int Count,
    int Skipped,
    double BaseRate,
    double Brier,
    double BaseRateBrier,
    IReadOnlyList<ReliabilityBin> Reliability,
    IReadOnlyList<BacktestPrediction> Predictions)
{
    /// <summary>1 − Brier / base-rate Brier: above 0 when the model beats always predicting the base rate.</summary>
    public double Skill => BaseRateBrier == 0 ? 0 : 1 - Brier / BaseRateBrier;

    public string Describe()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"{Count} presentments ({Skipped} skipped for under 3 complete months before the due date)");
        s.AppendLine(inv, $"base rate {BaseRate:0.0000}; Brier {Brier:0.0000} vs base-rate Brier {BaseRateBrier:0.0000} (skill {Skill:0.000})");
        s.AppendLine("bin        count  mean predicted  observed");
        foreach (var b in Reliability)
            s.AppendLine(inv, $"{b.From:0.0}-{b.To:0.0}  {b.Count,7}  {(b.MeanPredicted is { } m ? m.ToString("0.000", inv) : "-"),14}  {(b.ObservedRate is { } o ? o.ToString("0.000", inv) : "-"),8}");
        return s.ToString();
    }
}

/// <summary>
/// Walk-forward calibration: every past first presentment with a known result is predicted from the statement cut
/// before its instalment's due date (and the loan's presentments before that date), then compared with what happened.
/// </summary>
public static class Backtest
{
    /// <summary>Where the statement is cut for each prediction.</summary>
    public enum Cut
    {
        /// <summary>Everything before the due date: the forecast a lender makes the day before presenting.</summary>
        DayBeforeDueDate,
        /// <summary>Everything before the due date's month: a forecast made 1-31 days ahead, without the latest balance.</summary>
        BeforeDueMonth,
    }

    public static BacktestResult Run(IEnumerable<(Loan Loan, DepositAccount Account)> portfolio, ForecastOptions? options = null, int minHistoryMonths = 3, Cut cut = Cut.DayBeforeDueDate)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        options ??= ForecastOptions.Default;
        var predictions = new List<BacktestPrediction>();
        var skipped = 0;
        foreach (var (loan, account) in portfolio)
        {
            if (account.Transactions.Count == 0) continue;
            var cache = new Dictionary<DateOnly, (DepositAccount, AccountAnalysis)>();
            foreach (var i in loan.Instalments)
            {
                if (i.PresentedDate is not { } presented || i.FirstPresentmentBounced is not { } bounced) continue;
                var cutDate = cut == Cut.DayBeforeDueDate ? i.DueDate : new DateOnly(i.DueDate.Year, i.DueDate.Month, 1);
                var (truncated, analysis) = Truncated(account, cutDate, cache);
                if (analysis.CompleteMonthCount < minHistoryMonths)
                {
                    skipped++;
                    continue;
                }
                var model = new PresentmentModel(loan, analysis, truncated, cutDate, options);
                var p = model.Day(presented).Probability;
                predictions.Add(new(loan.LoanId, i.Number, presented, p, !bounced, analysis.CompleteMonthCount));
            }
        }
        return Score(predictions, skipped);
    }

    /// <summary>The statement as it stood the day before <paramref name="cutDate"/>, and its analysis.</summary>
    internal static (DepositAccount Account, AccountAnalysis Analysis) Truncated(DepositAccount account, DateOnly cutDate, Dictionary<DateOnly, (DepositAccount, AccountAnalysis)>? cache = null)
    {
        if (cache is not null && cache.TryGetValue(cutDate, out var hit)) return hit;
        var end = cutDate.AddDays(-1);
        var truncated = account with
        {
            Transactions = [.. account.Transactions.Where(t => t.Date < cutDate)],
            EndDate = account.EndDate is { } e && e < end ? e : end,
        };
        var result = (truncated, CashflowAnalyzer.Analyze(truncated));
        cache?.Add(cutDate, result);
        return result;
    }

    internal static BacktestResult Score(IReadOnlyList<BacktestPrediction> predictions, int skipped)
    {
        var n = predictions.Count;
        if (n == 0) return new(0, skipped, 0, 0, 0, [], predictions);
        var baseRate = predictions.Count(p => p.Succeeded) / (double)n;
        double brier = 0, baseBrier = 0;
        var count = new int[10];
        var sumP = new double[10];
        var sumY = new double[10];
        foreach (var p in predictions)
        {
            var y = p.Succeeded ? 1.0 : 0.0;
            brier += (p.Predicted - y) * (p.Predicted - y);
            baseBrier += (baseRate - y) * (baseRate - y);
            var bin = Math.Min(9, (int)(p.Predicted * 10));
            count[bin]++;
            sumP[bin] += p.Predicted;
            sumY[bin] += y;
        }
        var bins = Enumerable.Range(0, 10).Select(b => new ReliabilityBin(b / 10.0, (b + 1) / 10.0, count[b],
            count[b] == 0 ? null : sumP[b] / count[b], count[b] == 0 ? null : sumY[b] / count[b])).ToList();
        return new(n, skipped, baseRate, brier / n, baseBrier / n, bins, predictions);
    }
}
