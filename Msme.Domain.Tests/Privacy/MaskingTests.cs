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
}
