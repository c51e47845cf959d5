using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Collections;
using Msme.Domain.Ingestion;
using BookLoan = Msme.Domain.Collections.Loan;

namespace Msme.Portal.Features.Collections;

/// <summary>The walk-forward backtest of the stored book: the fitted model and model 1 (its baseline) in one run.</summary>
/// <param name="Customer">The customer the items were restricted to; null for the whole book.</param>
public sealed record BacktestReport(int? Customer, FittedPresentmentModel Model, WalkForwardResult Fitted, WalkForwardResult Baseline)
{
    /// <summary>The targets: bounce reduction ≥ 60 %, Brier ≤ 0.8 × base-rate Brier, AUC ≥ 0.8.</summary>
    public const double MinBounceReduction = 0.60, MaxBrierRatio = 0.8, MinAuc = 0.8;

    public double BrierRatio => Fitted.BaseRateBrier == 0 ? 0 : Fitted.Brier / Fitted.BaseRateBrier;

    public bool MeetsBounceReduction => Fitted.BounceReduction >= MinBounceReduction;
    public bool MeetsBrier => BrierRatio <= MaxBrierRatio;
    public bool MeetsAuc => Fitted.Auc >= MinAuc;
}

public sealed partial class CollectionsService
{
    /// <summary>
    /// Every stored loan with the monitoring statement it is collected from (loans whose account the AA data does not
    /// cover, or whose consent does not allow monitoring now, have none and are left out).
    /// </summary>
    public async Task<IReadOnlyList<(BookLoan Loan, DepositAccount Account)>> BookAsync(CancellationToken ct = default)
    {
        List<int> customerIds;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            customerIds = await db.Loans.Select(l => l.CustomerId).Distinct().OrderBy(id => id).ToListAsync(ct);
        }
        var book = new List<(BookLoan, DepositAccount)>();
        foreach (var id in customerIds)
        {
            var data = await LoadAsync(id, ct);
            if (data is null || data.Withheld) continue;
            foreach (var (_, loan) in data.Loans)
                if (data.AccountOf(loan).Account is { } account) book.Add((loan, account.Account));
        }
        return book;
    }

    /// <summary>
    /// Walk-forward over the stored book (<see cref="WalkForward"/>): the last six months of presentments scored with
    /// <paramref name="model"/> (the stored coefficients by default) and with model 1 in the same run. With a customer,
    /// only that customer's presentments are scored. Kept while the global data stamp stays the same.
    /// </summary>
    public async Task<BacktestReport> BacktestAsync(int? customerId = null, FittedPresentmentModel? model = null, CancellationToken ct = default)
    {
        model ??= FittedCoefficients.Current;
        var version = await gate.GlobalVersionAsync(ct);
        var key = string.Create(CultureInfo.InvariantCulture, $"{version}|{customerId}|{model.Version}");
        if (gate.Cache.Portfolio<BacktestReport>("backtest", key) is { } hit) return hit;
        var book = await BookAsync(ct);
        var evaluateFrom = WalkForward.DefaultEvaluateFrom(book);
        string? handle = null;
        if (customerId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            handle = await db.Customers.Where(c => c.Id == id).Select(c => c.AaHandle).FirstOrDefaultAsync(ct) ?? "";
        }
        IReadOnlyList<(BookLoan Loan, DepositAccount Account)> scored = handle is null ? book : [.. book.Where(b => b.Loan.Customer == handle)];
        var report = await Task.Run(() => new BacktestReport(customerId, model,
            WalkForward.Run(scored, evaluateFrom, ForecastOptions.Default with { Model = model }),
            WalkForward.Run(scored, evaluateFrom, ForecastOptions.Default with { Model = null })), ct);
        gate.Cache.SetPortfolio("backtest", key, report);
        return report;
    }
}
