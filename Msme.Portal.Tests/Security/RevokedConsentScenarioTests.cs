using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Customers;
using Msme.Portal.Tests.Api;

namespace Msme.Portal.Tests.Security;

/// <summary>
/// Issue 12's first scenario: an admin revokes a customer's only consent at /compliance/consents/{id}; afterwards the
/// agent who works the customer saw its rows on /collections and in the queue CSV (probability, window, expected
/// balance, all computed from the withdrawn data) and the Accounts tab still listed every transaction.
/// </summary>
public sealed class RevokedConsentScenarioTests(ApiDemoFactory factory) : IClassFixture<ApiDemoFactory>
{
    [Fact]
    public async Task After_an_admin_revokes_a_customers_consents_the_agent_sees_no_row_no_forecast_and_no_transaction()
    {
        using var agent = await factory.SignedInClientAsync("agent1@msme.local");
        var agentId = await factory.UserIdAsync("agent1@msme.local");
        using var scope = factory.Services.CreateScope();
        var collections = scope.ServiceProvider.GetRequiredService<CollectionsService>();
        var viewer = new CollectionsViewer(agentId, SeesAll: false);
        // agent1's customer with the most queue rows, as they saw it before the revocation (the caches now hold it).
        var before = await collections.QueueAsync(viewer, new QueueQuery { PageSize = 1000 });
        var customer = before.Items.GroupBy(i => i.CustomerId).OrderByDescending(g => g.Count()).First().Key;
        var loanIds = before.Items.Where(i => i.CustomerId == customer).Select(i => i.LoanId).Distinct().ToList();
        var csvBefore = await agent.GetStringAsync("/exports/collections-queue.csv");
        Assert.Contains(loanIds, csvBefore.Contains);
        Assert.Contains(before.Items, i => i.CustomerId == customer && i.Probability is not null);
        var customers = scope.ServiceProvider.GetRequiredService<CustomerService>();
        var accounts = (await customers.GetAsync(customer))!.Accounts;
        Assert.Contains(accounts, a => a.Transactions > 0 && a.CurrentBalance is not null);

        // The admin revokes every consent of the customer, as on the consent lineage page.
        await using (var db = await factory.DbAsync())
        {
            var lineage = scope.ServiceProvider.GetRequiredService<ConsentLineageService>();
            foreach (var consent in await db.Consents.Where(c => c.CustomerId == customer && c.Status == ConsentStatus.Active).Select(c => c.Id).ToListAsync())
            {
                Assert.Null(await lineage.ChangeStatusAsync(consent, ConsentStatus.Revoked, "admin", "admin@msme.local", "customer withdrew consent"));
            }
        }

        var after = await collections.QueueAsync(viewer, new QueueQuery { PageSize = 1000 });
        var csvAfter = await agent.GetStringAsync("/exports/collections-queue.csv");
        Assert.DoesNotContain(after.Items, i => i.CustomerId == customer);
        Assert.DoesNotContain(loanIds, csvAfter.Contains);
        // The queue still works for everyone else (the whole book: agent1's small demo portfolio may hold no other monitored customer).
        var everyone = await collections.QueueAsync(new CollectionsViewer("admin", SeesAll: true), new QueueQuery { PageSize = 1000 });
        Assert.Contains(everyone.Items, i => i.CustomerId != customer && i.Probability is not null);
        foreach (var account in (await customers.GetAsync(customer))!.Accounts)
        {
            Assert.Equal((null, 0, 0), (account.CurrentBalance, account.Transactions, account.Holders.Count));
            Assert.Empty((await customers.TransactionsAsync(account.Id, 0, 1000)).Items);
        }
    }
}
