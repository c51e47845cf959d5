using System.Globalization;
using CsCheck;
using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class DecimalMathTests
{
    [Fact]
    public void Square_root_is_exact_to_decimal_precision()
    {
        Assert.Equal(1.4142135623730950488016887242m, DecimalMath.Sqrt(2m));
        Assert.Equal(35_355.339059327376220042218105m, DecimalMath.Sqrt(1_250_000_000m));
        Assert.Equal(0m, DecimalMath.Sqrt(0m));
    }

    [Theory]
    // [m - d, m, m + d] has sample sd exactly d. The first is the exact-sums path; the others take the two-pass path:
    // 10¹² rupees is beyond the exact-sums range, and 3-place values do not have the 2 places it relies on.
    [InlineData("100", "120", "140", "20")]
    [InlineData("1000000000000", "1000000000002", "1000000000004", "2")]
    [InlineData("0.001", "0.003", "0.005", "0.002")]
    public void Sample_standard_deviation_on_both_paths(string a, string b, string c, string expected)
    {
        decimal[] values = [D(a), D(b), D(c)];

        Assert.Equal(D(expected), DecimalMath.SampleStandardDeviation(values, DecimalMath.Mean(values)));
    }

    [Fact]
    public void The_exact_sums_and_the_two_pass_form_agree_far_beyond_six_places()
    {
        Gen.Int[-100_000_000, 100_000_000].Select(p => p / 100m).Array[2, 800].Sample(values =>
        {
            var mean = DecimalMath.Mean(values);
            var fast = DecimalMath.SampleStandardDeviation(values, mean);
            var twoPass = DecimalMath.TwoPassSampleStandardDeviation(values, mean);
            Assert.True(Math.Abs(fast - twoPass) <= 1e-15m * Math.Max(1m, twoPass), $"{fast} vs {twoPass}");
        }, iter: 300);
    }

    [Fact]
    public void Median_takes_the_mean_of_the_middle_pair_and_leaves_the_input_alone()
    {
        decimal[] values = [400m, 100m, 300m, 200m];

        Assert.Equal(250m, DecimalMath.Median(values));
        Assert.Equal([400m, 100m, 300m, 200m], values);
        Assert.Equal(3m, DecimalMath.Median([5m, 1m, 3m]));
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
