using Msme.Domain.Consent;
using Msme.Domain.Privacy;

namespace Msme.Domain.Tests.Privacy;

public sealed class MaskingTests
{
    [Fact]
    public void Pan_keeps_its_type_letters_and_last_three() => Assert.Equal("AAXXXXX34K", Masking.Pan("AAAPS1234K"));

    [Fact]
    public void Mobile_keeps_the_last_four() => Assert.Equal("XXXXXXX1923", Masking.Mobile("91729391923"));

    [Fact]
    public void Email_keeps_the_first_letter_and_the_domain() => Assert.Equal("r***@gmail.com", Masking.Email("ram.sapan@gmail.com"));

    [Fact]
    public void Narration_hides_the_counterparty_the_handle_and_long_numbers()
    {
        var masked = Masking.Narration("UPI/935314560764/RAVI KUMAR/ravi.k@okaxis/Axis Bank");

        Assert.DoesNotContain("RAVI KUMAR", masked);
        Assert.DoesNotContain("ravi.k", masked);
        Assert.Contains("***@okaxis", masked);
        Assert.Contains("XXXXXXXX0764", masked);
        Assert.StartsWith("UPI/", masked);
    }

    [Fact]
    public void Missing_values_stay_missing()
    {
        Assert.Null(Masking.Pan(null));
        Assert.Null(Masking.Narration(null));
        Assert.Equal("", Masking.Narration(""));
    }

    [Theory]
    [InlineData(Roles.Agent, false, true, false, false, false)]
    [InlineData(Roles.RiskManager, false, false, false, true, false)]
    [InlineData(Roles.Compliance, true, true, true, true, true)]
    [InlineData(Roles.Admin, true, true, true, true, true)]
    public void Each_role_sees_what_its_work_needs(string role, bool pan, bool mobile, bool email, bool counterparties, bool raw) =>
        Assert.Equal(new DisclosurePolicy(pan, mobile, email, counterparties, raw), DisclosurePolicy.For([role]));

    [Fact]
    public void A_user_without_a_role_sees_nothing_personal() => Assert.Equal(new DisclosurePolicy(false, false, false, false, false), DisclosurePolicy.For([]));

    [Theory]
    [InlineData(Roles.Agent, DataUse.Monitoring)]
    [InlineData(Roles.RiskManager, DataUse.Underwriting)]
    [InlineData(Roles.Compliance, DataUse.Underwriting)]
    [InlineData(Roles.Admin, DataUse.Underwriting)]
    public void Agents_get_analytics_for_the_monitoring_use_only(string role, DataUse use) =>
        Assert.Equal(use, DisclosurePolicy.For([role]).AnalyticsUse);

    [Fact]
    public void A_quoted_text_loses_the_counterparty_names_and_handles_but_keeps_its_figures()
    {
        var names = CounterpartyNames.From(["RAVI KUMAR", "RAVI KUMAR TRADERS"]);

        var masked = QuotedMasking.Text("The largest payer, Ravi Kumar Traders, brought 45.2% of all credits (₹12,34,567.00); ravi.k@okaxis paid 3 times.", names);

        Assert.Equal("The largest payer, R*** K*** T***, brought 45.2% of all credits (₹12,34,567.00); ***@okaxis paid 3 times.", masked);
    }

    [Fact]
    public void An_explanation_input_that_is_a_narration_is_masked_as_a_narration()
    {
        var input = new Msme.Domain.Analytics.Cashflow.ExplanationInput("narration", "UPI/935314560764/SHREE BALAJI AGENCIES/sba@okhdfc/HDFC Bank");

        var masked = QuotedMasking.Input(input, CounterpartyNames.None);

        Assert.DoesNotContain("SHREE BALAJI", masked);
        Assert.DoesNotContain("935314560764", masked);
        Assert.DoesNotContain("sba@", masked);
        Assert.Equal("3 months", QuotedMasking.Input(new("months", "3 months"), CounterpartyNames.None));
    }
}
