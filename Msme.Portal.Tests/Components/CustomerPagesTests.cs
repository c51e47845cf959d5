using Bunit;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Customers;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Components;

public sealed class CustomerPagesTests : PortalComponentTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Msme.Domain.Roles.RiskManager);
    }

    [Fact]
    public void Empty_store_shows_the_designed_empty_state()
    {
        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Contains("No customers yet", page.Find("[data-testid=empty-state]").TextContent));
    }

    [Fact]
    public async Task Customer_list_shows_rows_and_search_narrows_them()
    {
        await SeedAsync(db =>
        {
            AddCustomer(db, "Sharma Kirana Stores", "sharma@onemoney", "AAAPS1234K", "XXXXXX4521");
            AddCustomer(db, "Patel Engineering Works", "patel@finvu", "AAFCP9876Q", "XXXXXX7788");
        });

        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        page.Find(".mud-table-toolbar input").Input("7788");

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tbody tr");
            Assert.Single(rows);
            Assert.Contains("Patel Engineering Works", rows[0].TextContent);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Customer_page_shows_accounts_consents_and_transactions_with_their_session()
    {
        var id = 0;
        await SeedAsync(db => id = AddCustomer(db, "Sharma Kirana Stores", "sharma@onemoney", "AAAPS1234K", "XXXXXX4521").Id);

        var page = Render<CustomerPage>(p => p.Add(x => x.Id, id).Add(x => x.Tab, "accounts"));

        page.WaitForAssertion(() => Assert.Equal("Sharma Kirana Stores", page.Find("[data-testid=customer-name]").TextContent));
        Assert.Contains("consent-sharma", page.Find("[data-testid=consents-table]").TextContent);
        Assert.Contains("ACTIVE", page.Find("[data-testid=consents-table]").TextContent);
        page.WaitForAssertion(() =>
        {
            var text = page.Find("[data-testid=transactions-table]").TextContent;
            Assert.Contains("₹1,23,456.78", text);
            Assert.Contains("UPI/123/RAVI", text);
            Assert.Contains("session-shar", text);
        });
    }

    [Theory]
    [InlineData(Msme.Domain.Roles.Agent, "AAXXXXX34K", "UPI/123/R***/***@ok/Bank")]
    [InlineData(Msme.Domain.Roles.RiskManager, "AAXXXXX34K", "UPI/123/RAVI/ravi@ok/Bank")]
    [InlineData(Msme.Domain.Roles.Compliance, "AAAPS1234K", "UPI/123/RAVI/ravi@ok/Bank")]
    public async Task Pan_and_counterparties_are_masked_for_roles_that_do_not_need_them(string role, string pan, string narration)
    {
        Auth.SetRoles(role);
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "user-1"));
        var id = 0;
        await SeedAsync(db => id = AddCustomer(db, "Sharma Kirana Stores", "sharma@onemoney", "AAAPS1234K", "XXXXXX4521").Id);
        await SeedAsync(db => db.Users.Add(new ApplicationUser { Id = "user-1", UserName = "u1", Email = "u1@msme.local" }));
        await SeedAsync(db => db.AgentPortfolios.Add(new AgentPortfolio { AgentUserId = "user-1", CustomerId = id, AssignedBy = "admin" }));

        var page = Render<CustomerPage>(p => p.Add(x => x.Id, id).Add(x => x.Tab, "accounts"));

        page.WaitForAssertion(() => Assert.Contains(narration, page.Find("[data-testid=transactions-table]").TextContent));
        Assert.Contains(pan, page.Markup);
        Assert.DoesNotContain(pan == "AAAPS1234K" ? "AAXXXXX34K" : "AAAPS1234K", page.Markup);
    }

    [Fact]
    public async Task An_agent_opening_a_customer_outside_their_portfolio_gets_not_found_and_the_attempt_is_audited()
    {
        Auth.SetRoles(Msme.Domain.Roles.Agent);
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "agent-a"));
        int mine = 0, theirs = 0;
        await SeedAsync(db => mine = AddCustomer(db, "Sharma Kirana Stores", "sharma@onemoney", "AAAPS1234K", "XXXXXX4521").Id);
        await SeedAsync(db => theirs = AddCustomer(db, "Patel Engineering Works", "patel@finvu", "AAFCP9876Q", "XXXXXX7788").Id);
        await SeedAsync(db => db.Users.Add(new ApplicationUser { Id = "agent-a", UserName = "a", Email = "a@msme.local" }));
        await SeedAsync(db => db.AgentPortfolios.Add(new AgentPortfolio { AgentUserId = "agent-a", CustomerId = mine, AssignedBy = "admin" }));

        var page = Render<CustomerPage>(p => p.Add(x => x.Id, theirs));
        var list = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Contains("Customer not found", page.Markup));
        Assert.DoesNotContain("Patel", page.Markup);
        list.WaitForAssertion(() => Assert.Single(list.FindAll("tbody tr")));
        Assert.Contains("Sharma", list.Find("tbody tr").TextContent);
        await using var db = await Store.DbAsync();
        var refused = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.AuditEntries, e => e.Action == "access-refused");
        Assert.Equal(theirs, refused.CustomerId);
    }

    [Fact]
    public async Task Every_view_of_a_customer_is_on_the_audit_trail_with_its_sections()
    {
        var id = 0;
        await SeedAsync(db => id = AddCustomer(db, "Sharma Kirana Stores", "sharma@onemoney", "AAAPS1234K", "XXXXXX4521").Id);

        var page = Render<CustomerPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal("Sharma Kirana Stores", page.Find("[data-testid=customer-name]").TextContent));
        await using var db = await Store.DbAsync();
        var view = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.AuditEntries, e => e.Action == "view");
        Assert.Equal(id, view.CustomerId);
        Assert.Equal("risk@msme.local", view.UserName);
        Assert.Equal("RiskManager", view.Roles);
        Assert.Equal($"/customers/{id}/smart-collect", view.Target);
        Assert.Contains("sections: profile, consents, tab smart-collect (next EMI", view.Details);
        Assert.Contains("masked: pan,mobile,email", view.Details);
    }

    [Fact]
    public void Unknown_customer_shows_not_found_instead_of_an_exception()
    {
        var page = Render<CustomerPage>(p => p.Add(x => x.Id, 999));

        page.WaitForAssertion(() => Assert.Contains("Customer not found", page.Markup));
    }

    private static Customer AddCustomer(ApplicationDbContext db, string name, string handle, string pan, string masked)
    {
        var customer = new Customer { AaHandle = handle, LegalName = name, Pan = pan, BusinessCategory = "TRADING", Scale = "MICRO" };
        // A consent without DataLife allows no retention (the purge would delete its data at once), so the fixture names one.
        var consent = new ConsentRecord { ConsentId = "consent-" + handle.Split('@')[0], Customer = customer, Status = ConsentStatus.Active, PurposeCode = "104",
            DataLifeUnit = "YEAR", DataLifeValue = 1 };
        var session = new FetchSession { SessionId = "session-" + handle.Split('@')[0] + "-0001", Consent = consent, Status = "COMPLETED", BundleName = "b",
            FetchedAt = new DateTimeOffset(2026, 10, 31, 18, 0, 0, TimeSpan.FromHours(5.5)), ImportedAt = new DateTimeOffset(2026, 10, 31, 18, 5, 0, TimeSpan.FromHours(5.5)) };
        db.AddRange(customer, consent, session);
        db.SaveChanges();
        var account = new Account { CustomerId = customer.Id, FipId = "HDFC-FIP", LinkedAccRef = "ref", MaskedAccNumber = masked, LastFetchSessionId = session.Id };
        db.Add(account);
        db.SaveChanges();
        db.Add(new AccountTransaction
        {
            AccountId = account.Id, FetchSessionId = session.Id, TxnId = "T1", Type = "CREDIT", Mode = "UPI", AmountPaise = 12_345_678,
            BalancePaise = 50_000_000, TimestampUnixMs = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(5.5)).ToUnixTimeMilliseconds(),
            Date = new DateOnly(2026, 3, 1), Narration = "UPI/123/RAVI/ravi@ok/Bank", Position = 0,
        });
        return customer;
    }
}
