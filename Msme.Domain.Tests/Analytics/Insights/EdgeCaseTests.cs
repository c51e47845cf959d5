using Msme.Domain.Analytics;
using Msme.Domain.Analytics.IncomePattern;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Insights;

public class EdgeCaseTests
{
    [Fact]
    public void An_account_without_transactions_gets_empty_insights_that_still_explain_themselves()
    {
        var empty = new DepositAccount { MaskedAccNumber = "XXXX0000" };

        var insights = AccountInsights.Build(empty);

        Assert.Empty(insights.Transactions);
        Assert.Empty(insights.Recurring);
        Assert.Empty(insights.Anomalies.Findings);
        Assert.Null(insights.CashRatio.Ratio);
        Assert.All(insights.CheckpointBalances, c => Assert.Null(c.Average));
        Assert.Equal(Confidence.VeryLow, insights.Income.Confidence);
        Assert.All(insights.ExplainAll(), e => Assert.False(string.IsNullOrWhiteSpace(e.Narrative), e.Figure));
    }

    [Fact]
    public void A_customer_with_an_empty_second_account_is_the_first_accounts_flow()
    {
        var business = new StatementBuilder().Period("2024-01-01", "2024-01-31")
            .Credit("2024-01-01", 1_000m, "NEFT-X-SHREE TRADERS-GOODS-SBIN0000001")
            .Debit("2024-01-31", 400m, "CHRG/SMS ALERT CHGS").Build();

        var insights = CustomerInsights.Build([business, new DepositAccount { MaskedAccNumber = "XXXX0000" }], null);

        var month = Assert.Single(insights.Combined.Contract.Monthly);
        Assert.Equal((1_000m, 400m, true), (month.Inflow, month.Outflow, month.Complete));
    }

    [Fact]
    public void Insights_build_for_every_demo_customer_and_every_account()
    {
        foreach (var c in DemoGenerator.Generate(new DemoOptions(new DateOnly(2025, 3, 31), Customers: 25, Months: 6, Seed: 3)))
        {
            var insights = CustomerInsights.Build(c.Accounts, c.Accounts[0].Holders.FirstOrDefault()?.Name);
            Assert.Equal(c.Accounts.Count, insights.Accounts.Count);
            Assert.Equal(c.Accounts.Sum(a => a.Transactions.Count) - 2 * insights.OwnTransfers.Count, insights.CombinedAccount.Transactions.Count);
        }
    }
}
