using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;

namespace Msme.Domain.Tests.Collections.Actions;

public class ReturnRateTests
{
    private const string A = "NACH00000000000001", B = "NACH00000000000002";

    [Fact]
    public void Rates_group_by_code_and_month_and_flag_above_the_line()
    {
        var outcomes = new[]
        {
            new PresentmentOutcome(A, new DateOnly(2026, 10, 5), true),
            new PresentmentOutcome(A, new DateOnly(2026, 10, 9), false),
            new PresentmentOutcome(A, new DateOnly(2026, 11, 5), true),
            new PresentmentOutcome(A, new DateOnly(2026, 11, 8), true),
            new PresentmentOutcome(A, new DateOnly(2026, 11, 12), false),
            new PresentmentOutcome(B, new DateOnly(2026, 11, 5), false),
        };
        var months = ReturnRates.ByMonth(outcomes);
        Assert.Equal(3, months.Count);
        var oct = months[0];
        Assert.Equal((A, 2026, 10, 2, 1), (oct.UtilityCode, oct.Year, oct.Month, oct.Presentments, oct.Returns));
        Assert.Equal(0.5, oct.Rate);
        Assert.False(oct.AboveLine); // exactly 50 % is not above the line
        Assert.Equal(2.0 / 3, months[1].Rate, 10);
        Assert.True(months[1].AboveLine);
        Assert.Equal(B, months[2].UtilityCode);
        Assert.Equal(0, months[2].Rate);
    }

    [Fact]
    public void Outcomes_come_from_attempts_when_listed_else_from_the_first_presentment()
    {
        var withAttempts = new LoanInstalment(1, new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 5), 100m, InstalmentOutcome.Paid, 100m)
        {
            Attempts = [new(new DateOnly(2026, 10, 5), true, true, 100m, null, "C"), new(new DateOnly(2026, 10, 9), true, false, 100m, "T", null), new(new DateOnly(2026, 10, 12), false, false, 10m, "U", null)],
        };
        var csv = new LoanInstalment(2, new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 5), 100m, InstalmentOutcome.Bounced, 0);
        var pending = new LoanInstalment(3, new DateOnly(2026, 12, 5), null, 100m, InstalmentOutcome.Pending, 0);
        var loan = LoanBuilder.Loan(100m, 5, withAttempts, csv, pending);

        var o = ReturnRates.Outcomes(loan, A).ToList();
        Assert.Equal([(new DateOnly(2026, 10, 5), true), (new DateOnly(2026, 10, 9), false), (new DateOnly(2026, 11, 5), true)], o.Select(x => (x.Date, x.Returned)));
        Assert.Empty(ReturnRates.Outcomes(loan with { Mandate = Mandate.None }, A));
    }

    [Fact]
    public void Expected_rate_is_the_mean_of_one_minus_p_with_unknown_as_a_return()
    {
        Assert.Equal(0, ReturnRates.ExpectedRate([]));
        Assert.Equal((0.2 + 0.6 + 1.0) / 3, ReturnRates.ExpectedRate([0.8, 0.4, null]), 10);
    }

    [Fact]
    public void Projection_adds_expected_returns_of_the_month_to_those_so_far()
    {
        var history = new[]
        {
            new PresentmentOutcome(A, new DateOnly(2026, 12, 1), true),
            new PresentmentOutcome(A, new DateOnly(2026, 12, 2), true),
            new PresentmentOutcome(A, new DateOnly(2026, 12, 3), false),
            new PresentmentOutcome(A, new DateOnly(2026, 11, 3), true), // another month
            new PresentmentOutcome(B, new DateOnly(2026, 12, 3), true), // another code
        };
        PresentmentLine Line(DateOnly d, double? p) => new(A, "LN", "U", Mandate.ENach, "C", "X", 1, d, d, 10m, 1, p, "");
        var scheduled = new[] { Line(new DateOnly(2026, 12, 10), 0.3), Line(new DateOnly(2026, 12, 11), 0.5), Line(new DateOnly(2027, 1, 2), 0.0) };

        var p = ReturnRates.Project(history, scheduled, A, 2026, 12);
        Assert.Equal((3, 2, 2), (p.PresentedSoFar, p.ReturnedSoFar, p.ToPresent));
        Assert.Equal(1.2, p.ExpectedReturns, 10);
        Assert.Equal(3.2 / 5, p.Rate, 10);
        Assert.True(p.CrossesLine);
        Assert.False(p.NearLine);

        var calm = ReturnRates.Project([], [Line(new DateOnly(2026, 12, 10), 0.53)], A, 2026, 12);
        Assert.Equal(0.47, calm.Rate, 10);
        Assert.False(calm.CrossesLine);
        Assert.True(calm.NearLine);
    }
}
