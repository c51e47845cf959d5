using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;

namespace Msme.Domain.Tests.Collections;

public sealed class CureProbabilityTests
{
    private static LoanInstalment Bounced(DateOnly due, params DateOnly[] returns) =>
        new(1, due, due, 20_000m, InstalmentOutcome.Bounced, 0m)
        {
            Attempts = [.. returns.Select(r => new LoanAttempt(r, true, true, 20_000m, null, null))],
        };

    [Fact]
    public void Next_allowed_presentment_is_three_days_after_the_return_until_two_re_presentations_are_used()
    {
        var due = new DateOnly(2026, 1, 5);
        var loan = LoanBuilder.Loan(20_000m, 5, Bounced(due, due));

        var (early, how) = CollectionForecaster.NextAllowedPresentment(loan, loan.Instalments[0], new DateOnly(2026, 1, 6));
        Assert.Equal(new DateOnly(2026, 1, 8), early);
        Assert.Contains("re-presentment 1 of 2", how);

        var (late, _) = CollectionForecaster.NextAllowedPresentment(loan, loan.Instalments[0], new DateOnly(2026, 1, 20));
        Assert.Equal(new DateOnly(2026, 1, 20), late);

        var used = LoanBuilder.Loan(20_000m, 5, Bounced(due, due, due.AddDays(4), due.AddDays(9)));
        var (link, why) = CollectionForecaster.NextAllowedPresentment(used, used.Instalments[0], new DateOnly(2026, 1, 15));
        Assert.Equal(new DateOnly(2026, 1, 15), link);
        Assert.Contains("UPI link", why);
    }

    [Fact]
    public void An_overdue_instalment_ranks_by_its_cure_probability_not_its_past_due_date()
    {
        // Money arrives on the 10th and is spent from the 15th: the 5th was never covered, the 10th-14th always.
        var asOf = new DateOnly(2026, 1, 10);
        var account = CollectionForecasterTests.Monthly(asOf, 0m, (b, y, m) => b
            .Credit(new(y, m, 10), 50_000m).Debit(new(y, m, 15), 15_000m).Debit(new(y, m, 20), 15_000m)
            .Debit(new(y, m, 25), 15_000m).Debit(new(y, m, 28), 5_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var due = new DateOnly(2026, 1, 5);
        var loan = LoanBuilder.Loan(20_000m, 5, Bounced(due, due));

        var u = CollectionForecaster.ForecastAll(loan, analysis, account, asOf).Single();

        Assert.Equal(CollectionStatus.Overdue, u.Status);
        Assert.NotNull(u.CureEstimate);
        Assert.Equal(asOf, u.CureEstimate!.Date); // the return was on the 5th: the 8th has passed
        Assert.True(u.RankingProbability > 0.5 && u.DueDateProbability < 0.1, $"cure {u.RankingProbability}, due date {u.DueDateProbability}");
        Assert.Contains(u.Reasons, r => r.StartsWith($"overdue: probability of cure {u.RankingProbability:0.00} on 2026-01-10", StringComparison.Ordinal));
    }
}
