using System.Text.Json;
using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class ContractJsonTests
{
    [Fact]
    public void Writes_the_contract_shape_with_money_at_2_places_and_ratios_at_6()
    {
        // Jan..May inflows 100000 100000 100000 100000 250000, outflows 71234.5 each month except May (0):
        // inflow: med 100000, MAD 0, meanAD = 150000 / 5 = 30000, M(May) = 150000 / (1.253314 × 30000) = 3.989423,
        // deviationPct = 150000 / 100000 × 100 = 150.
        // outflow 71234.5 ×4, 0: med 71234.5, MAD 0, meanAD = 71234.5 / 5 = 14246.9, M = -71234.5 / (1.253314 × 14246.9)
        // = -3.989423, deviationPct = -100.
        var analysis = Accounts.Analyze(
            "2021-01",
            [100_000m, 100_000m, 100_000m, 100_000m, 250_000m],
            [71_234.5m, 71_234.5m, 71_234.5m, 71_234.5m, 0m]) with { LinkedAccRef = "ref-1" };

        var json = ContractJson.ToJsonString([analysis]);

        Assert.Contains("\"contractVersion\": 1,", json);
        Assert.Contains("\"inflow\": 100000.00,", json);
        Assert.Contains("\"outflow\": 71234.50,", json);
        Assert.Contains("\"net\": 28765.50,", json);
        Assert.Contains("\"month\": \"2021-01\",", json);
        Assert.Contains("\"from\": \"2021-01-01\",", json);
        Assert.Contains("\"score\": 3.989423,", json);
        Assert.Contains("\"deviationPct\": 150.000000", json);
        Assert.Contains("\"deviationPct\": -100.000000", json);

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["contractVersion", "accounts"], root.EnumerateObject().Select(p => p.Name));
        var account = root.GetProperty("accounts")[0];
        Assert.Equal(
            ["maskedAccNumber", "linkedAccRef", "coverage", "insufficientHistory", "monthly", "metrics", "anomalies"],
            account.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["month", "complete", "inflow", "outflow", "net", "closingBalance", "creditCount", "debitCount"],
            account.GetProperty("monthly")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["avgMonthlyInflow", "medianMonthlyInflow", "incomeCv", "surplusRatio", "averageBalance", "balanceVolatility", "typicalCreditDay", "stabilityTier"],
            account.GetProperty("metrics").EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["detector", "series", "month", "value", "median", "score", "deviationPct"],
            account.GetProperty("anomalies")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("XXXXXXXX1234", account.GetProperty("maskedAccNumber").GetString());
        Assert.Equal(JsonValueKind.False, account.GetProperty("insufficientHistory").ValueKind);
        Assert.Equal(1, account.GetProperty("metrics").GetProperty("typicalCreditDay").GetInt32());
        // cv: mean 130000, deviations -30000 ×4 and 120000: (4 × 9e8 + 1.44e10) / 4 = 4.5e9, sd 67082.039325,
        // cv = 0.516015688 -> 0.516016: Low.
        Assert.Equal("0.516016", account.GetProperty("metrics").GetProperty("incomeCv").GetRawText());
        Assert.Equal("Low", account.GetProperty("metrics").GetProperty("stabilityTier").GetString());
        // avg = 650000 / 5 = 130000 -> printed with its two places; surplus = (650000 - 284938) / 650000 = 0.561634
        Assert.Equal("130000.00", account.GetProperty("metrics").GetProperty("avgMonthlyInflow").GetRawText());
        Assert.Equal("0.561634", account.GetProperty("metrics").GetProperty("surplusRatio").GetRawText());
        Assert.Equal(2, account.GetProperty("anomalies").GetArrayLength());
    }

    [Fact]
    public void Writes_nulls_for_an_account_without_transactions()
    {
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder().Named("XX9", null).Build());

        var json = ContractJson.ToJsonString([analysis]);

        using var doc = JsonDocument.Parse(json);
        var account = doc.RootElement.GetProperty("accounts")[0];
        Assert.Equal(JsonValueKind.Null, account.GetProperty("linkedAccRef").ValueKind);
        Assert.Equal(JsonValueKind.Null, account.GetProperty("coverage").ValueKind);
        Assert.Equal(JsonValueKind.True, account.GetProperty("insufficientHistory").ValueKind);
        Assert.Equal(0, account.GetProperty("monthly").GetArrayLength());
        Assert.All(
            account.GetProperty("metrics").EnumerateObject().Where(p => p.Name != "stabilityTier"),
            p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Equal("Unknown", account.GetProperty("metrics").GetProperty("stabilityTier").GetString());
    }

    [Fact]
    public void Money_is_rounded_half_away_from_zero_and_written_with_two_places()
    {
        Assert.Equal("100000.00", Rounding.Money(100000m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.01m, Rounding.Money(0.005m));
        Assert.Equal(-0.01m, Rounding.Money(-0.005m));
        Assert.Equal("0.00", Rounding.Money(-0.001m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.333333", Rounding.Ratio(1m / 3m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// <c>analyze</c> writes each file's accounts on the thread that read it and puts the parts together: the document
    /// must be byte for byte the one pass over every account, however the accounts are split (none, all in one part,
    /// one each, empty parts between), with and without customers.
    /// </summary>
    [Fact]
    public void Accounts_written_in_parts_and_put_together_are_the_one_pass_document_byte_for_byte()
    {
        var customers = Msme.Domain.DemoData.DemoGenerator.Generate(new Msme.Domain.DemoData.DemoOptions(new DateOnly(2026, 9, 30), 3, 13, 42)).ToList();
        var analysed = customers.Select(c => Msme.Domain.Analytics.AnalyzeJson.Analyse(c.Accounts)).ToList();
        var accounts = analysed.SelectMany(c => c.Accounts).ToList();
        var combined = analysed.Where(c => c.Combined is not null).Select(c => c.Combined!.Value).ToList();
        Assert.True(accounts.Count >= 4 && combined.Count >= 1, "the demo book should have several accounts and a customer with two");
        Assert.Contains(accounts, a => a.Events.Count > 0);

        List<List<int>> splits =
        [
            [],
            [accounts.Count],
            [.. Enumerable.Repeat(1, accounts.Count)],
            [0, 2, 0, accounts.Count - 3, 1, 0],
        ];
        foreach (var withCustomers in new[] { true, false })
        {
            var theCustomers = withCustomers ? combined : new List<(IReadOnlyList<string> Accounts, IReadOnlyList<Msme.Domain.Analytics.Anomalies.AnomalyEvent> Events)>();
            foreach (var split in splits)
            {
                var taken = split.Count == 0 ? accounts.Take(0).ToList() : accounts;
                var onePass = new MemoryStream();
                ContractJson.Write(onePass, taken, theCustomers);
                var parts = new List<byte[]>();
                var at = 0;
                foreach (var n in split)
                {
                    parts.Add(ContractJson.AccountsPart(accounts.Skip(at).Take(n)));
                    at += n;
                }
                var assembled = new MemoryStream();
                ContractJson.Write(assembled, parts, theCustomers);

                Assert.Equal(System.Text.Encoding.UTF8.GetString(onePass.ToArray()), System.Text.Encoding.UTF8.GetString(assembled.ToArray()));
            }
        }
    }
}
