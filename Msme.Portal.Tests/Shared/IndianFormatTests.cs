using Msme.Portal.Components.Shared;

namespace Msme.Portal.Tests.Shared;

public sealed class IndianFormatTests
{
    [Theory]
    [InlineData("0", "₹0.00")]
    [InlineData("999.5", "₹999.50")]
    [InlineData("1000", "₹1,000.00")]
    [InlineData("123456.78", "₹1,23,456.78")]
    [InlineData("12345678.9", "₹1,23,45,678.90")]
    [InlineData("-128642.45", "-₹1,28,642.45")]
    [InlineData("0.005", "₹0.01")]
    public void Money_groups_in_lakhs_and_crores(string value, string expected) =>
        Assert.Equal(expected, IndianFormat.Money(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Missing_values_show_a_dash_never_an_exception()
    {
        Assert.Equal("—", IndianFormat.Money(null));
        Assert.Equal("—", IndianFormat.Text("  "));
        Assert.Equal("—", IndianFormat.Date(null));
    }

    [Theory]
    [InlineData("425000", "₹4.25 L")]
    [InlineData("13000000", "₹1.30 Cr")]
    [InlineData("99999", "₹99,999.00")]
    public void Compact_uses_lakh_and_crore(string value, string expected) =>
        Assert.Equal(expected, IndianFormat.Compact(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}
