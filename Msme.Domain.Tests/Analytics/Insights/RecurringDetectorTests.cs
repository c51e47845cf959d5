using Msme.Domain.Analytics.Classification;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Insights;

public class RecurringDetectorTests
{
    private static StatementBuilder Rent(StatementBuilder b, string date, decimal amount) =>
        b.Debit(date, amount, $"MMT/IMPS/41234567890{date[^1]}/RENT/RAMESH DESAI/HDFC0001234");

    [Fact]
    public void Monthly_rent_on_about_the_same_day_is_one_series_with_its_median_amount_and_typical_day()
    {
        // Rent 15,000 on days 2, 3, 1, 2, 4 (Jan–May) and 15,900 on day 5 (Jun): 15,900 is 6% above the median 15,000,
        // inside ±10%. Typical day: total circular distance from 2 = 0+1+1+0+2+3 = 7, from 3 = 1+0+2+1+1+2 = 7,
        // from 1 = 1+2+0+1+3+4 = 11; 2 and 3 tie at 7, the smaller wins: day 2.
        var b = new StatementBuilder();
        Rent(b, "2024-01-02", 15_000m);
        Rent(b, "2024-02-03", 15_000m);
        Rent(b, "2024-03-01", 15_000m);
        Rent(b, "2024-04-02", 15_000m);
        Rent(b, "2024-05-04", 15_000m);
        Rent(b, "2024-06-05", 15_900m);

        var series = Assert.Single(RecurringDetector.Detect(b.Classified()));

        Assert.Equal(("RAMESH DESAI", Category.Rent, TxnType.Debit, 15_000m, 2, 6), (series.Key, series.Category, series.Type, series.TypicalAmount, series.TypicalDay, series.Occurrences));
        Assert.Equal([new(2024, 1), new(2024, 2), new(2024, 3), new(2024, 4), new(2024, 5), new(2024, 6)], series.MonthsSeen);
        Assert.Contains("6 months", series.Explanation.Narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_more_than_10_percent_off_is_not_part_of_the_series_and_two_months_are_not_a_series()
    {
        // 15,000 in Jan–Mar; 20,000 in Apr (33% above): the Apr line is its own amount, seen once. A second party paid
        // twice is never a series (3 months needed).
        var b = new StatementBuilder();
        Rent(b, "2024-01-02", 15_000m);
        Rent(b, "2024-02-02", 15_000m);
        Rent(b, "2024-03-02", 15_000m);
        Rent(b, "2024-04-02", 20_000m);
        b.Debit("2024-01-10", 5_000m, "MMT/IMPS/1/PAYMENT/SAI RICE MILL/SBIN0000001");
        b.Debit("2024-02-10", 5_000m, "MMT/IMPS/2/PAYMENT/SAI RICE MILL/SBIN0000001");

        var series = Assert.Single(RecurringDetector.Detect(b.Classified()));

        Assert.Equal((15_000m, 3), (series.TypicalAmount, series.Occurrences));
    }

    [Fact]
    public void A_weekly_supplier_of_similar_amounts_is_trade_not_a_monthly_series()
    {
        // 4 payments of about 10,000 every month for 4 months: 4 lines a month is more than 2, so no series.
        var b = new StatementBuilder();
        for (var m = 1; m <= 4; m++)
            foreach (var d in new[] { 3, 10, 17, 24 })
                b.Debit($"2024-0{m}-{d:D2}", 10_000m + d, $"MMT/IMPS/{m}{d}/PAYMENT/AMUL DISTRIBUTORS/SBIN0000001");

        Assert.Empty(RecurringDetector.Detect(b.Classified()));
    }

    [Fact]
    public void Three_coincidences_scattered_over_a_year_are_not_a_habit()
    {
        // Similar sums from one payer around day 10 in Jan, Jun and Dec: 3 on-day months over a 12-month stretch (< 2 in 3).
        var b = new StatementBuilder();
        b.Credit("2024-01-10", 3_000m, "UPI/1/PRIYA BHATT/priya@ybl/Axis Bank");
        b.Credit("2024-06-11", 3_100m, "UPI/2/PRIYA BHATT/priya@ybl/Axis Bank");
        b.Credit("2024-12-09", 2_950m, "UPI/3/PRIYA BHATT/priya@ybl/Axis Bank");

        Assert.Empty(RecurringDetector.Detect(b.Classified()));
    }
}
