using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Tests.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Insights;

/// <summary>The insights over the three real (scrubbed) Setu sandbox accounts.</summary>
public class SetuSandboxInsightsTests
{
    private static readonly IReadOnlyList<Msme.Domain.Ingestion.DepositAccount> Sandbox = FixtureAccounts.Load("setu_sandbox_deposit_3accounts_scrubbed.json");

    [Fact]
    public void The_monthly_employer_credit_is_found_as_a_recurring_series_though_no_rule_calls_it_salary()
    {
        // XXXXXXX456: BHARTI AIRTEL credits 96,759 (25 Jan), 1,00,098 (25 Feb), 88,564 (25 Mar), 97,021 (23 Apr),
        // 92,498 (25 May) are within ±10% of their median 96,759; Jun–Aug (1,78,377, 1,19,274, 1,14,456) are not.
        var insights = AccountInsights.Build(Sandbox.Single(a => a.MaskedAccNumber == "XXXXXXX456"));

        var salary = Assert.Single(insights.Recurring, r => r.Key == "BHARTI AIRTEL" && r.Occurrences >= 5);
        Assert.Equal((96_759m, 25, 5), (salary.TypicalAmount, salary.TypicalDay, salary.Occurrences));
    }

    [Fact]
    public void The_ach_debits_form_emi_series_without_bounces()
    {
        // XXXXXXX123: ACH/PARTY 63ACE 30,000 in Apr, May, Jun; ACH/PARTY C474D 2,138 in May, Jun; ACH/PARTY 18957 2,024.55 in May, Jun.
        var insights = AccountInsights.Build(Sandbox.Single(a => a.MaskedAccNumber == "XXXXXXX123"));

        Assert.Equal([("PARTY 63ACE", 30_000m, 3), ("PARTY C474D", 2_138m, 2), ("PARTY 18957", 2_024.55m, 2)],
            insights.Emi.Series.Select(s => (s.Lender, s.Emi, s.MonthsPaid.Count)));
        Assert.Equal(0, insights.Emi.BounceCount);
    }

    [Fact]
    public void Every_part_explains_itself_and_the_contract_anomalies_survive_unchanged()
    {
        foreach (var account in Sandbox)
        {
            var insights = AccountInsights.Build(account);
            var all = insights.ExplainAll();
            Assert.All(all, e => Assert.False(string.IsNullOrWhiteSpace(e.Narrative), e.Figure));
            Assert.Equal(insights.Contract.Anomalies.Count, insights.Anomalies.Of("robust-z").Count);
            Assert.Equal(account.Transactions.Count, insights.Transactions.Count);
        }
    }

    [Fact]
    public void Atm_cash_and_card_lines_of_the_upi_account_are_read_from_their_narrations()
    {
        var insights = AccountInsights.Build(Sandbox.Single(a => a.MaskedAccNumber == "XXXXXXX444"));
        var categories = insights.Transactions.GroupBy(t => t.Class.Category).ToDictionary(g => g.Key, g => g.Count());

        // 16 ATM/ withdrawals and 9 NFS/ ones; 2 ATM credits put back after failed withdrawals.
        Assert.Equal(25, categories[Category.CashWithdrawal]);
        Assert.Equal(27, categories[Category.SipInvestment]); // the 27 Groww debits
        Assert.Contains(insights.Transactions, t => t.Class.RuleId == "C-ATMREV");
    }
}
