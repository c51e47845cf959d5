using Msme.Domain.Consent;

namespace Msme.Domain.Tests.Consent;

public class ConsentPurposesTests
{
    [Fact]
    public void Every_use_has_its_purpose_codes_and_says_what_is_derived_under_it()
    {
        foreach (var use in Enum.GetValues<DataUse>())
        {
            Assert.NotEmpty(ConsentPurposes.Allowed[use]);
            Assert.NotEmpty(ConsentPurposes.Derives[use]);
        }
    }

    [Theory]
    [InlineData("104", new[] { DataUse.Monitoring, DataUse.Underwriting })]
    [InlineData("103", new[] { DataUse.Underwriting })]
    [InlineData("105", new[] { DataUse.Underwriting })]
    [InlineData("101", new[] { DataUse.Advisory })]
    [InlineData("102", new DataUse[0])]
    [InlineData(null, new DataUse[0])]
    public void Purpose_codes_map_to_the_documented_uses(string? code, DataUse[] uses) =>
        Assert.Equal(uses, ConsentPurposes.UsesOf(code));
}
