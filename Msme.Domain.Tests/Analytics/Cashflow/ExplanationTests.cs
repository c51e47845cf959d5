using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class ExplanationTests
{
    [Fact]
    public void Income_cv_explanation_lists_the_monthly_inflows_and_agrees_with_the_figure()
    {
        var analysis = Accounts.Analyze("2021-01", [100m, 400m, 200m, 300m]);

        var explanation = analysis.Explain("incomeCv");

        Assert.Equal("incomeCv", explanation.Figure);
        Assert.Equal("0.516398", explanation.Result);
        Assert.Contains(new ExplanationInput("inflow 2021-02", "400.00"), explanation.Inputs);
        Assert.Contains(explanation.Inputs, i => i.Label == "sample standard deviation");
        Assert.Contains("sample sd", explanation.Formula);
        Assert.NotEmpty(explanation.Narrative);
    }

    [Fact]
    public void Every_figure_explains_itself_with_the_value_the_analysis_reported()
    {
        var analysis = Accounts.Analyze("2021-01", [100m, 400m, 200m, 300m, 5000m], [10m, 20m, 30m, 40m, 50m]);

        var byFigure = analysis.ExplainAll().ToDictionary(e => e.Figure);

        var m = analysis.Metrics;
        Assert.Equal(Text(m.AvgMonthlyInflow), byFigure["avgMonthlyInflow"].Result);
        Assert.Equal(Text(m.MedianMonthlyInflow), byFigure["medianMonthlyInflow"].Result);
        Assert.Equal(Text(m.IncomeCv), byFigure["incomeCv"].Result);
        Assert.Equal(Text(m.SurplusRatio), byFigure["surplusRatio"].Result);
        Assert.Equal(Text(m.AverageBalance), byFigure["averageBalance"].Result);
        Assert.Equal(Text(m.BalanceVolatility), byFigure["balanceVolatility"].Result);
        Assert.Equal(m.TypicalCreditDay.ToString(), byFigure["typicalCreditDay"].Result);
        Assert.Equal(m.StabilityTier.ToString(), byFigure["stabilityTier"].Result);
        Assert.Equal("2021-01-01..2021-05-31", byFigure["coverage"].Result);
        Assert.Equal("false", byFigure["insufficientHistory"].Result);
        Assert.Contains("2021-05", byFigure["robust-z.inflow"].Result);
        // averageBalance is explained month by month: 5 subtotals plus the totals.
        Assert.Equal(5, byFigure["averageBalance"].Inputs.Count(i => i.Label.StartsWith("Σ daily closing balance", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unknown_figures_are_refused_with_the_known_names()
    {
        var analysis = Accounts.Analyze("2021-01", [100m]);

        var error = Assert.Throws<ArgumentException>(() => analysis.Explain("nope"));
        Assert.Contains("incomeCv", error.Message);
    }

    [Fact]
    public void Explanations_and_json_do_not_depend_on_the_current_culture()
    {
        var analysis = Accounts.Analyze("2021-01", [100m, 400m, 200m, 300.5m]);
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // German writes decimals with a comma; the figures must still read 250.13 and 0.51...
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");

            Assert.Contains("250.13", analysis.Explain("avgMonthlyInflow").Narrative);
            Assert.Contains(new ExplanationInput("inflow 2021-04", "300.50"), analysis.Explain("incomeCv").Inputs);
            Assert.Contains("\"avgMonthlyInflow\": 250.13,", ContractJson.ToJsonString([analysis]));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    private static string Text(decimal? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}
