using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.CustomerAnalytics;
using Msme.Domain.DemoData;

namespace Msme.Domain.Tests.Analytics.Insights;

public class CustomerInsightsTests
{
    // Business current account (…1234) and the owner's savings account (…5678), Jan–Feb 2024.
    private static (Msme.Domain.Ingestion.DepositAccount Business, Msme.Domain.Ingestion.DepositAccount Savings) TwoAccounts()
    {
        var business = new StatementBuilder("XXXXXXXX1234").Opening(200_000m).Period("2024-01-01", "2024-02-29")
            .Debit("2024-01-01", 500m, "CHRG/SMS ALERT CHGS OCT-DEC23")
            .Credit("2024-01-05", 300_000m, "NEFT-HDFCN24005000001-SHREE AUTO PARTS PVT LTD-INV1-HDFC0001234")
            // Own transfer named by the other account's last 4 digits.
            .Debit("2024-01-27", 50_000m, "TRF TO XXXXXXX5678/SELF", time: "15:00")
            // Own transfer named by the owner's name, credited the next day over NEFT.
            .Debit("2024-02-10", 20_000m, "MMT/IMPS/412345678901/DRAWINGS/RAMESH SHARMA/HDFC0000001", time: "18:00")
            // Same amount as a savings credit the same day, but nothing ties them: a supplier, not the owner.
            .Debit("2024-02-15", 10_000m, "NEFT DR-SBIN0001234-AMUL DISTRIBUTORS-NETBANK, MUM-SBINN24046123456-PAYMENT")
            .Credit("2024-02-20", 150_000m, "NEFT-HDFCN24051000002-SHREE AUTO PARTS PVT LTD-INV2-HDFC0001234")
            .Credit("2024-02-29", 500m, "Int.Pd:XXXXXXXX1234:01-12-2023 to 29-02-2024")
            .Build();
        var savings = new StatementBuilder("XXXXXXX5678").Opening(30_000m).Period("2024-01-01", "2024-02-29").Holder("Ramesh Sharma")
            .Debit("2024-01-01", 2_000m, "UPI/1/BIGBASKET/bigbasket@ybl/Axis Bank")
            .Credit("2024-01-27", 50_000m, "TRF FROM XXXXXXXX1234/SELF", time: "15:00")
            .Credit("2024-02-11", 20_000m, "NEFT-HDFCN24042000003-RAMESH SHARMA-SELF TRANSFER-HDFC0001234", time: "10:00")
            .Credit("2024-02-15", 10_000m, "UPI/2/SUNIL IYER/sunil@ybl/Axis Bank")
            .Debit("2024-02-29", 5_000m, "NFS/CASH WDL/29-02-24/123456/PUNE")
            .Build();
        return (business, savings);
    }

    [Fact]
    public void Transfers_between_own_accounts_are_found_by_digits_or_name_and_only_then()
    {
        var (business, savings) = TwoAccounts();

        var insights = CustomerInsights.Build([business, savings], "Ramesh Sharma");

        Assert.Equal([("1234-3", "5678-2", 50_000m, "masked-digits"), ("1234-4", "5678-3", 20_000m, "own-name")],
            insights.OwnTransfers.Select(p => (p.DebitTxnId, p.CreditTxnId, p.Amount, p.Evidence)));
        Assert.Contains(OwnTransfers.Rule, insights.OwnTransfers[0].Explanation.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Combined_figures_leave_out_own_transfers_and_add_up_balances()
    {
        // Jan: credits 300,000 + 50,000 (own, removed) = 300,000; debits 500 + 2,000 + 50,000 (own, removed) = 2,500.
        // Feb: credits 150,000 + 500 + 20,000 (own) + 10,000 = 160,500; debits 20,000 (own) + 10,000 + 5,000 = 15,000.
        // Closing balances: business Jan 449,500, Feb 570,000; savings Jan 78,000, Feb 103,000: customer 527,500 and 673,000.
        var (business, savings) = TwoAccounts();

        var combined = CustomerInsights.Build([business, savings], "Ramesh Sharma").Combined.Contract;

        Assert.Equal(
            [(new CalendarMonth(2024, 1), true, 300_000m, 2_500m, 527_500m), (new CalendarMonth(2024, 2), true, 160_500m, 15_000m, 673_000m)],
            combined.Monthly.Select(m => (m.Month, m.Complete, m.Inflow, m.Outflow, m.ClosingBalance)));
        // The opening is both accounts' together: 200,000 + 30,000.
        Assert.Equal(230_000m, combined.DailyBalances.OpeningBalance);
        Assert.Equal(227_500m, combined.DailyBalances[new DateOnly(2024, 1, 1)]);
    }

    [Fact]
    public void A_single_account_customer_is_that_accounts_insights()
    {
        var (business, _) = TwoAccounts();
        var insights = CustomerInsights.Build([business], null);

        Assert.Same(insights.Accounts[0], insights.Combined);
        Assert.Empty(insights.OwnTransfers);
    }

    [Fact]
    public void Every_demo_owner_sweep_is_removed_from_the_combined_flow()
    {
        // The generator moves money from the business to the owner's savings account with "TRF TO <masked>/SELF" and
        // the matching "TRF FROM" line: each such pair must be found, and nothing else paired by digits.
        var customers = DemoGenerator.Generate(new DemoOptions(new DateOnly(2025, 3, 31), Customers: 40, Months: 6, Seed: 11))
            .Where(c => c.Accounts.Count == 2).Take(4).ToList();
        Assert.NotEmpty(customers);
        foreach (var c in customers)
        {
            var sweeps = c.Accounts[0].Transactions.Count(t => t.Narration!.StartsWith("TRF TO ", StringComparison.Ordinal));
            var insights = CustomerInsights.Build(c.Accounts, c.Accounts[1].Holders[0].Name);
            Assert.Equal(sweeps, insights.OwnTransfers.Count(p => p.Evidence == "masked-digits"));
            var inflow = c.Accounts.Sum(a => a.Transactions.Where(t => t.Type == Msme.Domain.Ingestion.TxnType.Credit).Sum(t => t.Amount));
            var removed = insights.OwnTransfers.Sum(p => p.Amount);
            Assert.Equal(inflow - removed, insights.Combined.Contract.Monthly.Sum(m => m.Inflow));
        }
    }
}
