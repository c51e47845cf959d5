namespace Msme.Portal.Tests.Infrastructure;

/// <summary>Consent files for importing the public samples: ACTIVE, DEPOSIT transactions, a range covering every sample, no DataFilter.</summary>
public static class TestConsents
{
    public static string Write(string directory, string customer = "s@onemoney", string purpose = "104", string dataLifeUnit = "YEAR", int dataLifeValue = 1)
    {
        var path = Path.Combine(directory, $"consent-{customer.Split('@')[0]}-{purpose}-{dataLifeValue}{dataLifeUnit}.json");
        File.WriteAllText(path, $$"""
            { "consentStart": "2019-01-01T00:00:00Z", "consentExpiry": "2030-01-01T00:00:00Z", "consentMode": "STORE",
              "fetchType": "PERIODIC", "consentTypes": ["PROFILE", "SUMMARY", "TRANSACTIONS"], "fiTypes": ["DEPOSIT"],
              "DataConsumer": { "id": "msme-fiu" }, "Customer": { "id": "{{customer}}" },
              "Purpose": { "code": "{{purpose}}", "text": "consent for tests" },
              "FIDataRange": { "from": "2015-01-01T00:00:00Z", "to": "2029-12-31T00:00:00Z" },
              "DataLife": { "unit": "{{dataLifeUnit}}", "value": {{dataLifeValue}} }, "Frequency": { "unit": "MONTH", "value": 1 } }
            """);
        return path;
    }

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", name);
}
