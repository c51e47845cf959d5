using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Cashflow;

/// <summary>The fixture statements as the product reads them: through the real streaming parser.</summary>
internal static class FixtureAccounts
{
    public static IReadOnlyList<DepositAccount> Load(string file)
    {
        using var stream = File.OpenRead(Fixtures.Aa(file));
        var result = DepositDocumentReader.ReadAll(stream, file);
        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        return result.Accounts;
    }
}
