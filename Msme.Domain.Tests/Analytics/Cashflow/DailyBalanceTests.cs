using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class DailyBalanceTests
{
    [Fact]
    public void Opening_balance_before_a_first_credit_is_its_balance_minus_its_amount()
    {
        // First transaction: CREDIT 1000 leaving 6000 on 04-08, so the opening balance is 6000 - 1000 = 5000.
        var account = new AccountBuilder().Credit("2021-04-08", 1000m, balance: 6000m).Debit("2021-04-09", 500m).Build();

        var series = CashflowAnalyzer.DailyBalances(account, new(2021, 4, 5), new(2021, 4, 10));

        Assert.Equal(5000m, series.OpeningBalance);
        Assert.Equal([5000m, 5000m, 5000m, 6000m, 5500m, 5500m], series.Values.ToArray());
    }

    [Fact]
    public void Opening_balance_before_a_first_debit_is_its_balance_plus_its_amount()
    {
        // First transaction: DEBIT 1000 leaving 4000, so the opening balance is 4000 + 1000 = 5000.
        var account = new AccountBuilder().Debit("2021-04-08", 1000m, balance: 4000m).Build();

        var series = CashflowAnalyzer.DailyBalances(account, new(2021, 4, 7), new(2021, 4, 8));

        Assert.Equal(5000m, series.OpeningBalance);
        Assert.Equal([5000m, 4000m], series.Values.ToArray());
    }

    [Fact]
    public void A_first_reversal_leaves_the_opening_balance_unknown_and_the_series_starts_on_its_day()
    {
        var account = new AccountBuilder().Reversal("2021-04-08", 1000m, balance: 4000m).Build();

        var series = CashflowAnalyzer.DailyBalances(account, new(2021, 4, 1), new(2021, 4, 9));

        Assert.Null(series.OpeningBalance);
        Assert.Equal(new DateOnly(2021, 4, 8), series.First);
        Assert.Equal([4000m, 4000m], series.Values.ToArray());
        Assert.False(series.TryGet(new(2021, 4, 7), out _));
    }

    [Fact]
    public void Days_without_transactions_carry_the_previous_close_and_the_last_transaction_of_the_day_closes_it()
    {
        // 04-01: two transactions at the same instant; position decides: the later position (balance 300) closes.
        // 04-02..04-04: nothing, so 300 carries forward. 04-05: 10:00 balance 350, then 09:00 balance 200 listed
        // after it in the document: timestamp order puts 09:00 first, so the day closes at 350.
        var account = new AccountBuilder()
            .Credit("2021-04-01T10:00:00+05:30", 100m, balance: 100m)
            .Credit("2021-04-01T10:00:00+05:30", 200m, balance: 300m)
            .Credit("2021-04-05T10:00:00+05:30", 150m, balance: 350m)
            .Debit("2021-04-05T09:00:00+05:30", 100m, balance: 200m)
            .Build();

        var analysis = CashflowAnalyzer.Analyze(account);

        Assert.Equal(new DateOnly(2021, 4, 1), analysis.DailyBalances.First);
        Assert.Equal([300m, 300m, 300m, 300m, 350m], analysis.DailyBalances.Values.ToArray());
        Assert.Equal(350m, analysis.Monthly[0].ClosingBalance);
    }

    [Fact]
    public void Transactions_before_the_declared_start_still_set_the_balance_carried_into_coverage()
    {
        // Declared start 04-10; the last transaction before it (04-05, balance 800) is the close of 04-10.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Statement("2021-04-10", null)
            .Opening(1000m)
            .Debit("2021-04-05", 200m)  // 800
            .Credit("2021-04-12", 100m) // 900
            .Build());

        Assert.Equal([800m, 800m, 900m], analysis.DailyBalances.Values.ToArray());
    }
}
