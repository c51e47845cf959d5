using System.Security.Claims;
using System.Text.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Analytics;
using Msme.Domain.DemoData;
using Msme.Domain.Ecosystem;
using Msme.Domain.Ecosystem.Insurance;
using Msme.Domain.Ecosystem.MutualFunds;
using Msme.Domain.Ecosystem.Ocen;
using Msme.Domain.Ecosystem.Ondc;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Ecosystem;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Ecosystem;

public sealed class EcosystemPanelTests : PortalComponentTest
{
    private static readonly DateOnly AsOf = new(2026, 9, 30);
    // Inside the store's temp folder, which the store deletes.
    private string Bundle => Path.Combine(Store.Directory, "demo", "bundle");

    public override async Task InitializeAsync()
    {
        // Before the base: its authorization set-up builds the provider, after which nothing may be added.
        Services.AddScoped<EcosystemService>();
        await base.InitializeAsync();
    }

    /// <summary>
    /// An ONDC seller from the demo generator (12 months) whose surplus affords a loan and a SIP (so every figure the tests
    /// compare is a real amount, not a zero), its bundle written to disk as the demo loader does.
    /// </summary>
    private DemoCustomer Seller()
    {
        var customer = DemoGenerator.Generate(new DemoOptions(AsOf, Customers: 40, Months: 12, Seed: 7)).First(c =>
        {
            if (c.Archetype != DemoArchetype.OndcSeller) return false;
            var combined = CustomerInsights.Build([.. c.Accounts], null).Combined;
            var surplus = SurplusBase.Build(combined);
            return OcenApplicationBuilder.Build(BorrowerProfile.Create(null, null, "x@y", null, null, null), surplus, combined, [], DateTimeOffset.UnixEpoch).RequestedAmount.Value > 0m
                && SipCapacityBuilder.Build(surplus).MonthlySipCapacity.Value > 0m;
        });
        DemoBundleWriter.Write(customer, Bundle);
        return customer;
    }

    private void SignInAs(string role, string userId = "user-1")
    {
        Auth.SetAuthorized(userId + "@msme.local");
        Auth.SetRoles(role);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
    }

    private async Task AssignToAgentAsync(int customerId, string userId = "user-1")
    {
        await SeedAsync(db => db.Users.Add(new ApplicationUser { Id = userId, UserName = userId, Email = userId + "@msme.local" }));
        await SeedAsync(db => db.AgentPortfolios.Add(new AgentPortfolio { AgentUserId = userId, CustomerId = customerId, AssignedBy = "admin" }));
    }

    [Fact]
    public async Task An_agent_sees_the_credit_products_of_imported_data_with_pan_and_payers_masked_and_advice_not_permitted()
    {
        var customer = Seller();
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Bundle, null, "test")).Status);
        SignInAs(Msme.Domain.Roles.Agent);
        await AssignToAgentAsync(1);
        var policy = DisclosurePolicy.For([Msme.Domain.Roles.Agent]);
        Func<string, string> mask = n => Masking.Counterparty(n)!;
        var combined = CustomerInsights.Build([.. customer.Accounts], customer.Customer.LegalName).Combined;
        var surplus = SurplusBase.Build(combined, mask);
        var c = customer.Customer;
        var expected = OcenApplicationBuilder.Build(BorrowerProfile.Create(c.Pan, c.LegalName, c.AaHandle, c.Udyam, c.Scale, c.BusinessCategory) with { Pan = Masking.Pan(c.Pan) },
            surplus, combined, [customer.Consent.ConsentId!], DateTimeOffset.UnixEpoch);
        var ondc = OndcProfileBuilder.Build(surplus, combined, mask);

        var panel = Render<EcosystemPanel>(p => p.Add(x => x.CustomerId, 1));

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=product-ocen]")));
        Assert.Null(expected.Insufficient);
        Assert.True(expected.RequestedAmount.Value > 0m, "the seller's surplus affords a loan");
        Assert.Equal(ProductFormat.Value(expected.RequestedAmount), panel.Find("[data-testid=figure-requestedAmount]").TextContent);
        Assert.Equal(ProductFormat.Value(expected.AffordableEmi), panel.Find("[data-testid=figure-affordableEmi]").TextContent);
        Assert.Equal(ProductFormat.Value(surplus.StableMonthlySurplus), panel.Find("[data-testid=product-ocen] [data-testid=figure-stableMonthlySurplus]").TextContent);
        Assert.Equal(ProductFormat.Value(ondc.SuggestedLine), panel.Find("[data-testid=figure-suggestedWorkingCapitalLine]").TextContent);
        Assert.Equal(ProductFormat.Value(ondc.RefundRatio), panel.Find("[data-testid=figure-refundRatio]").TextContent);
        Assert.Equal(ProductFormat.Value(ondc.PayerHhi), panel.Find("[data-testid=figure-payerHhi]").TextContent);
        Assert.True(ondc.SettlementShare.Value > 0m, "an ONDC seller is paid by network settlements");

        // Masking: the PAN shows as AAXXXXX34K-style, in the borrower block and the JSON; payers as initials.
        var masked = Masking.Pan(c.Pan)!;
        Assert.Contains(masked, panel.Find("[data-testid=ocen-borrower]").TextContent);
        Assert.DoesNotContain(c.Pan!, panel.Markup);
        panel.Find("[data-testid=ocen-json-toggle]").Click();
        var json = JsonDocument.Parse(panel.Find("[data-testid=ocen-json]").TextContent).RootElement;
        Assert.Equal(masked, json.GetProperty("loanApplications")[0].GetProperty("borrower").GetProperty("primaryId").GetString());
        Assert.All(panel.FindAll("[data-testid=ondc-payers] tbody tr td:first-child"), td => Assert.Contains("***", td.TextContent));

        // Advice needs a wealth-management consent (101); the demo consents are 103/104.
        Assert.Contains("Not permitted by consent", panel.Find("[data-testid=product-insurance] [data-testid=not-permitted]").TextContent);
        Assert.Contains("101", panel.Find("[data-testid=product-mutual-funds] [data-testid=not-permitted]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=figure-monthlySipCapacity]"));

        var download = panel.Find("[data-testid=ocen-json-download]");
        Assert.StartsWith("data:application/json;charset=utf-8;base64,", download.GetAttribute("href"));
        Assert.Equal("ocen-loan-application-1.json", download.GetAttribute("download"));
        download.Click();

        await using var db = await Store.DbAsync();
        panel.WaitForAssertion(() => Assert.Single(db.AuditEntries.Where(e => e.Details == "downloaded the OCEN loan application JSON").ToList()));
        var entry = await db.AuditEntries.FirstAsync(e => e.Target == "/customers/1/products");
        Assert.Equal("view", entry.Action);
        Assert.Contains("insurance NotPermitted", entry.Details);
        Assert.Contains("masked: pan,counterparties", entry.Details);
    }

    [Fact]
    public async Task A_wealth_management_consent_allows_the_advice_products_and_not_the_credit_ones()
    {
        var customer = Seller();
        var consent = TestConsents.Write(Store.Directory, customer.Customer.AaHandle, purpose: "101");
        foreach (var fi in Directory.GetFiles(Bundle, "fi-*"))
            Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(fi, consent, "test")).Status);
        SignInAs(Msme.Domain.Roles.RiskManager);
        var surplus = SurplusBase.Build(CustomerInsights.Build([.. customer.Accounts], null).Combined);
        var sip = SipCapacityBuilder.Build(surplus);
        var insurance = InsuranceSuitabilityBuilder.Build(surplus);

        var panel = Render<EcosystemPanel>(p => p.Add(x => x.CustomerId, 1));

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=product-mutual-funds]")));
        Assert.True(insurance.Covers[0].SumInsured.Value > 0m);
        Assert.Equal(ProductFormat.Value(sip.MonthlySipCapacity), panel.Find("[data-testid=figure-monthlySipCapacity]").TextContent);
        Assert.Equal(sip.RiskBucket, panel.Find("[data-testid=risk-bucket]").TextContent);
        Assert.Equal(ProductFormat.Value(insurance.Covers[0].SumInsured), panel.Find("[data-testid=cover-term-life] [data-testid=figure-termLifeCover]").TextContent);
        Assert.Equal(ProductFormat.Value(insurance.PremiumHeadroom), panel.Find("[data-testid=figure-premiumHeadroom]").TextContent);
        Assert.Contains("purpose 101", panel.Find("[data-testid=product-mutual-funds] [data-testid=product-sources]").TextContent);
        Assert.Contains("Not permitted by consent", panel.Find("[data-testid=product-ocen] [data-testid=not-permitted]").TextContent);
        Assert.Contains("purpose 103, 104 or 105", panel.Find("[data-testid=product-ondc] [data-testid=not-permitted]").TextContent);
    }

    [Fact]
    public async Task Two_months_of_data_show_the_insufficient_state_with_reasons_instead_of_figures()
    {
        // A customer whose every account covers both months (a savings account may start with a line on the 2nd).
        var customer = DemoGenerator.Generate(new DemoOptions(AsOf, Customers: 10, Months: 2, Seed: 3))
            .First(c => c.Accounts.All(a => Msme.Domain.Analytics.Cashflow.CashflowAnalyzer.Analyze(a).CompleteMonthCount == 2));
        DemoBundleWriter.Write(customer, Bundle);
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Bundle, null, "test")).Status);
        SignInAs(Msme.Domain.Roles.RiskManager);

        var panel = Render<EcosystemPanel>(p => p.Add(x => x.CustomerId, 1));

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=product-ocen] [data-testid=insufficient]")));
        Assert.Equal("—", panel.Find("[data-testid=figure-requestedAmount]").TextContent);
        Assert.Equal("Only 2 complete month(s) of data; at least 3 are needed.", panel.Find("[data-testid=unavailable-requestedAmount]").TextContent);
        Assert.Equal("—", panel.Find("[data-testid=figure-suggestedWorkingCapitalLine]").TextContent);
        Assert.Contains("insufficient data", panel.Find("[data-testid=products-tabs]").TextContent);
    }

    [Fact]
    public async Task A_customer_without_aa_data_gets_the_designed_no_data_state()
    {
        await SeedAsync(db => db.Customers.Add(new Customer { AaHandle = "new@onemoney", LegalName = "New Traders", Pan = "AAAPN1234K" }));
        SignInAs(Msme.Domain.Roles.RiskManager);

        var panel = Render<EcosystemPanel>(p => p.Add(x => x.CustomerId, 1));

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("[data-testid=empty-state]").Count(e => e.TextContent.Contains("No AA data yet"))));
        Assert.Empty(panel.FindAll("[data-testid=not-permitted]"));
    }

    [Fact]
    public async Task Every_figure_opens_its_explanation()
    {
        Seller();
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Bundle, null, "test")).Status);
        SignInAs(Msme.Domain.Roles.RiskManager);

        var panel = Render<EcosystemPanel>(p => p.Add(x => x.CustomerId, 1));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=explain-requestedAmount]")));
        panel.Find("[data-testid=explain-requestedAmount] .mud-expand-panel-header").Click();

        panel.WaitForAssertion(() => Assert.Contains("floor(min(loan for the EMI, turnover cap) / 1,000) × 1,000",
            panel.Find("[data-testid=explain-requestedAmount]").TextContent));
    }

    [Fact]
    public async Task A_customer_outside_the_agents_portfolio_is_not_found_and_the_attempt_audited()
    {
        Seller();
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Bundle, null, "test")).Status);
        SignInAs(Msme.Domain.Roles.Agent);

        var panel = Render<EcosystemPanel>(p => p.Add(x => x.CustomerId, 1));

        panel.WaitForAssertion(() => Assert.Contains("Customer not found", panel.Markup));
        Assert.Empty(panel.FindAll("[data-testid=figure-requestedAmount]"));
        await using var db = await Store.DbAsync();
        Assert.Equal("access-refused", (await db.AuditEntries.SingleAsync(e => e.Target == "/customers/1/products")).Action);
    }

    [Fact]
    public async Task The_products_serialise_to_a_stable_json_shape()
    {
        Seller();
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Bundle, null, "test")).Status);
        SignInAs(Msme.Domain.Roles.RiskManager);
        var service = Services.GetRequiredService<EcosystemService>();

        var products = await service.GetAsync(1);

        var root = JsonSerializer.SerializeToElement(products, JsonSerializerOptions.Web);
        Assert.Equal(["customerId", "preparedAt", "masked", "ocen", "ondc", "insurance", "mutualFunds"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Ready", root.GetProperty("ocen").GetProperty("state").GetString());
        Assert.Equal("NotPermitted", root.GetProperty("insurance").GetProperty("state").GetString());
        Assert.Equal("Advisory", root.GetProperty("mutualFunds").GetProperty("use").GetString());
        var requested = root.GetProperty("ocen").GetProperty("data").GetProperty("requestedAmount");
        Assert.Equal(["name", "value", "unit", "explanation", "unavailable"], requested.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["figure", "formula", "inputs", "narrative", "result"], requested.GetProperty("explanation").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("insurance").GetProperty("data").ValueKind);
    }

}
