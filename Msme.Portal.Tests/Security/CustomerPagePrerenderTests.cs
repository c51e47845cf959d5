using System.Net;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Tests.Api;

namespace Msme.Portal.Tests.Security;

/// <summary>The customer page's prerendered GET: content for the customer the user may see, not-found (audited) for any other.</summary>
public sealed class CustomerPagePrerenderTests(ApiDemoFactory factory) : IClassFixture<ApiDemoFactory>
{
    [Fact]
    public async Task An_agents_get_of_their_customer_carries_the_profile_and_first_tab_and_is_audited_once()
    {
        using var client = await factory.SignedInClientAsync("agent1@msme.local");
        var (mine, _) = await factory.Agent1CustomersAsync();
        await using var db = await factory.DbAsync();
        var name = await db.Customers.Where(c => c.Id == mine).Select(c => c.LegalName).SingleAsync();
        var before = await db.AuditEntries.MaxAsync(e => e.Id);

        var response = await client.GetAsync($"/customers/{mine}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(name!), html);
        Assert.Contains("data-tab=\"smart-collect\"", html);
        Assert.DoesNotContain("Customer not found", html);
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id > before && e.CustomerId == mine);
        Assert.Equal(("view", $"/customers/{mine}/smart-collect"), (entry.Action, entry.Target));
        Assert.Contains("masked: pan,email,counterparties", entry.Details);
    }

    [Fact]
    public async Task An_agents_get_of_another_agents_customer_is_not_found_and_the_attempt_is_audited()
    {
        using var client = await factory.SignedInClientAsync("agent1@msme.local");
        var (_, theirs) = await factory.Agent1CustomersAsync();
        await using var db = await factory.DbAsync();
        var name = await db.Customers.Where(c => c.Id == theirs).Select(c => c.LegalName).SingleAsync();
        var before = await db.AuditEntries.MaxAsync(e => e.Id);

        var response = await client.GetAsync($"/customers/{theirs}/insights");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Customer not found", html);
        Assert.DoesNotContain(WebUtility.HtmlEncode(name!), html);
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id > before && e.CustomerId == theirs);
        Assert.Equal("access-refused", entry.Action);
    }
}
