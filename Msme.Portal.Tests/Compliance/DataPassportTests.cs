using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Consent;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

/// <summary>A customer's data passport: every consent, what it allowed and brought, what is derived, who saw it, what is deleted.</summary>
public sealed class DataPassportTests : PortalComponentTest
{
    private async Task ImportAsync(string purpose = "104", string file = "setu_sandbox_deposit_3accounts_scrubbed.json")
    {
        var outcome = await Store.Importer.ImportAsync(TestConsents.Sample(file), TestConsents.Write(Store.Directory, purpose: purpose), "test");
        Assert.Equal(ImportStatus.Imported, outcome.Status);
    }

    private DataPassportService Service => new(Store.DbFactory, Store.Clock);

    [Fact]
    public async Task A_monitoring_consent_shows_what_it_allowed_fetched_and_holds_and_who_saw_it()
    {
        await ImportAsync();
        await Store.Services.GetRequiredService<AuditLog>().AppendAsync(new AuditEvent("u1", "risk@msme.local", Roles.RiskManager, "view", "/customers/1", 1, "sections: analytics"));

        var passport = (await Service.GetAsync(1))!;

        var consent = Assert.Single(passport.Consents);
        Assert.Equal("104", consent.PurposeCode);
        Assert.Equal([DataUse.Monitoring, DataUse.Underwriting], consent.Uses);
        Assert.True(consent.UsableNow);
        Assert.Equal(671, consent.TransactionsFetched);
        Assert.Equal(671, consent.TransactionsHeld);
        Assert.Equal(671, passport.TransactionsHeld);
        Assert.Equal(3, passport.AccountsHeld);
        Assert.Equal("1 YEAR", consent.DataLife);
        Assert.All(passport.Uses.Where(u => u.Use != DataUse.Advisory), u => Assert.Equal([consent.ConsentId], u.AllowedNowBy));
        // Monitoring (104) is a credit purpose: it allows no advice on insurance or funds.
        Assert.Empty(passport.Uses.Single(u => u.Use == DataUse.Advisory).AllowedNowBy);
        var viewer = Assert.Single(passport.Viewers, v => v.UserName == "risk@msme.local");
        Assert.Equal(["view"], viewer.Actions);
    }

    [Fact]
    public async Task A_wealth_purpose_allows_only_advice_so_only_the_advisory_products_are_derived_from_it()
    {
        await ImportAsync(purpose: "101");

        var passport = (await Service.GetAsync(1))!;

        var consent = Assert.Single(passport.Consents);
        Assert.Equal([DataUse.Advisory], consent.Uses);
        Assert.Equal(["Insurance suitability", "Mutual-fund SIP capacity"], passport.Uses.Single(u => u.Use == DataUse.Advisory).Derives);
        Assert.All(passport.Uses.Where(u => u.Use != DataUse.Advisory), u => Assert.Empty(u.AllowedNowBy));
        Assert.Equal([consent.ConsentId], passport.Uses.Single(u => u.Use == DataUse.Advisory).AllowedNowBy);
    }

    [Fact]
    public async Task After_revocation_and_purge_the_passport_says_nothing_is_held_and_keeps_the_lineage()
    {
        await ImportAsync();
        var lineage = new ConsentLineageService(Store.DbFactory, Store.Services.GetRequiredService<AuditLog>(), Store.Clock);
        Assert.Null(await lineage.ChangeStatusAsync(1, ConsentStatus.Revoked, "admin", "admin@msme.local", "revoked in the AA app"));
        await Store.Services.GetRequiredService<PurgeService>().PurgeAsync();

        var passport = (await Service.GetAsync(1))!;

        var consent = Assert.Single(passport.Consents);
        Assert.False(consent.UsableNow);
        Assert.Equal(671, consent.TransactionsFetched);
        Assert.Equal(0, consent.TransactionsHeld);
        Assert.Equal(1, consent.SessionsPurged);
        Assert.Equal(0, consent.PayloadsHeld);
        Assert.True(consent.PayloadsDeleted > 0);
        Assert.All(passport.Uses, u => Assert.Empty(u.AllowedNowBy));
        Assert.Contains(passport.Viewers, v => v.Actions.Contains("consent-change"));
    }

    [Fact]
    public async Task The_page_answers_who_saw_what_under_which_consent_and_records_its_own_view()
    {
        Auth.SetAuthorized("compliance@msme.local");
        Auth.SetRoles(Roles.Compliance);
        await ImportAsync();
        await Store.Services.GetRequiredService<AuditLog>().AppendAsync(new AuditEvent("u1", "agent1@msme.local", Roles.Agent, "view", "/customers/1", 1, "sections: collections"));

        var page = Render<DataPassportPage>(p => p.Add(x => x.Id, 1));

        page.WaitForAssertion(() => Assert.Contains("671", page.Find("[data-testid=passport-consents]").TextContent));
        Assert.Contains("104: Monitoring, Underwriting", page.Find("[data-testid=passport-consents]").TextContent);
        Assert.Equal("671", page.Find("[data-testid=held-1]").TextContent.Trim());
        Assert.Contains("agent1@msme.local", page.Find("[data-testid=passport-viewers]").TextContent);
        Assert.Equal("live", page.Find("[data-testid=use-Monitoring]").TextContent.Trim());
        await using var db = await Store.DbAsync();
        Assert.Contains(db.AuditEntries, e => e.Action == "view" && e.Target == "/compliance/customers/1" && e.UserName == "compliance@msme.local");
    }

    [Fact]
    public void An_unknown_customer_gets_the_designed_not_found_state()
    {
        Auth.SetAuthorized("compliance@msme.local");
        Auth.SetRoles(Roles.Compliance);

        var page = Render<DataPassportPage>(p => p.Add(x => x.Id, 42));

        page.WaitForAssertion(() => Assert.Contains("Customer not found", page.Markup));
    }
}
