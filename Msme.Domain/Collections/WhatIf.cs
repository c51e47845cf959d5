using System.Globalization;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>How a simulated presentment reaches the customer.</summary>
public enum PresentmentChannel { ENach, UpiAutoPay, UpiLink }

/// <summary>What presenting on a chosen day would do, now and over the past complete months.</summary>
/// <param name="MonthsCollected">Past complete months in which the chosen day was covered.</param>
/// <param name="DueDateMonthsCollected">Past complete months in which the due day was covered.</param>
public sealed record WhatIfResult(
    int PresentmentDay, DateOnly Date, PresentmentChannel Channel, double Probability, decimal ExpectedAmount,
    int MonthsCollected, int DueDateMonthsCollected, int Months, IReadOnlyList<string> Reasons);

/// <summary>Simulates presenting the next instalment on a chosen day of the month, through a chosen channel.</summary>
public static class WhatIf
{
    public static WhatIfResult Simulate(Loan loan, DepositAccount account, AccountAnalysis analysis, int presentmentDay, PresentmentChannel channel, DateOnly asOf, ForecastOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loan);
        ArgumentOutOfRangeException.ThrowIfLessThan(presentmentDay, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(presentmentDay, 31);
        options ??= ForecastOptions.Default;
        var model = new PresentmentModel(loan, analysis, account, asOf, options);
        var next = loan.Instalments.FirstOrDefault(i => i.DueDate >= asOf && i.Outcome != InstalmentOutcome.Paid);
        var due = next?.DueDate ?? Recommender.NextDayOfMonth(asOf, loan.DueDay);
        var amount = next?.Amount ?? loan.Emi;
        // The first date with that day of month on or after the earliest allowed presentment.
        var date = Recommender.NextDayOfMonth(Max(due.AddDays(-options.WindowBefore), asOf), presentmentDay);
        var estimate = model.Day(date);
        var takeUp = channel == PresentmentChannel.UpiLink ? Recommender.UpiLinkTakeUp : 1.0;
        var p = estimate.Probability * takeUp;

        var dueDay = PresentmentModel.SampleDay(due);
        var sampleDay = PresentmentModel.SampleDay(date);
        int kDay = 0, kDue = 0, n = model.HistoryMonths;
        for (var i = 0; i < n; i++)
        {
            if (model.Available(i, sampleDay, out _) >= model.RequirementOn(sampleDay)) kDay++;
            if (model.Available(i, dueDay, out _) >= model.RequirementOn(dueDay)) kDue++;
        }
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>
        {
            $"presenting on day {presentmentDay} would have collected {kDay} of {n} complete months; the due date (day {Math.Min(loan.DueDay, 31)}) {kDue} of {n}",
            takeUp < 1
                ? string.Create(inv, $"probability for {date:yyyy-MM-dd}: {estimate.Probability:0.00} × {takeUp:0.0} assumed UPI-link take-up = {p:0.00}")
                : string.Create(inv, $"probability for {date:yyyy-MM-dd} by {channel}: {estimate.Probability:0.00}"),
            string.Create(inv, $"expected amount {p:0.00} × ₹{amount:0.00} = ₹{Math.Round((decimal)p * amount, 2):0.00}"),
        };
        if (estimate.ExpectedBalance is { } eb) reasons.Add(string.Create(inv, $"median available balance on day {presentmentDay}: ₹{eb:0.00}"));
        return new(presentmentDay, date, channel, p, Math.Round((decimal)p * amount, 2, MidpointRounding.AwayFromZero), kDay, kDue, n, reasons);
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}

/// <summary>Expected collection efficiency of one DPD bucket: due-date presentment vs the recommended windows.</summary>
public sealed record BucketEfficiency(DpdBucket Bucket, int Instalments, decimal Due, decimal ExpectedDueDate, decimal ExpectedRecommended)
{
    public double EfficiencyDueDate => Due == 0 ? 0 : (double)(ExpectedDueDate / Due);
    public double EfficiencyRecommended => Due == 0 ? 0 : (double)(ExpectedRecommended / Due);
}

public sealed record PortfolioSimulationResult(IReadOnlyList<BucketEfficiency> Buckets, BucketEfficiency Total);

/// <summary>
/// Expected collection efficiency (Σ p × EMI / Σ EMI) over the upcoming instalments of a portfolio, presenting on the
/// due date vs in each instalment's recommended window (the window when it beats the due date, else the due date).
/// </summary>
public static class PortfolioSimulation
{
    public static PortfolioSimulationResult Run(IEnumerable<(Loan Loan, DepositAccount Account, AccountAnalysis Analysis)> portfolio, DateOnly asOf, ForecastOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        var sums = new Dictionary<DpdBucket, (int N, decimal Due, decimal AtDue, decimal AtBest)>();
        foreach (var (loan, account, analysis) in portfolio)
        {
            var bucket = Delinquency.Compute(loan, asOf).Bucket;
            foreach (var u in CollectionForecaster.ForecastAll(loan, analysis, account, asOf, options))
            {
                if (u.Status is CollectionStatus.Collected or CollectionStatus.Overdue) continue;
                var best = Math.Max(u.DueDateProbability, u.Window?.Probability ?? 0);
                sums.TryGetValue(bucket, out var s);
                sums[bucket] = (s.N + 1, s.Due + u.Amount, s.AtDue + (decimal)u.DueDateProbability * u.Amount, s.AtBest + (decimal)best * u.Amount);
            }
        }
        var buckets = Enum.GetValues<DpdBucket>()
            .Where(sums.ContainsKey)
            .Select(b => new BucketEfficiency(b, sums[b].N, sums[b].Due, Math.Round(sums[b].AtDue, 2), Math.Round(sums[b].AtBest, 2)))
            .ToList();
        var total = new BucketEfficiency(DpdBucket.Current, buckets.Sum(b => b.Instalments), buckets.Sum(b => b.Due),
            buckets.Sum(b => b.ExpectedDueDate), buckets.Sum(b => b.ExpectedRecommended));
        return new(buckets, total);
    }
}
