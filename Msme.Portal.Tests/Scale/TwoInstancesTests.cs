using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Scale;

/// <summary>
/// Two portal instances (two hosts, each with its own caches and background workers) on one PostgreSQL database and
/// one shared data folder, as a load balancer would run them: what one does, the other honours at its next request.
/// </summary>
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private sealed class PostgreSqlPortal : PortalFactory
    {
        protected override TestProvider Provider => TestProvider.PostgreSql;
    }

    private PortalFactory? _a;
    private PortalFactory? _b;

    private PortalFactory A => _a!;
    private PortalFactory B => _b!;

    public Task InitializeAsync()
    {
        TestPostgres.SkipUnlessAvailable();
        _a = new PostgreSqlPortal();
        _ = _a.Services; // started (and migrated) first: the second finds the schema and the demo users in place
        _b = new PortalFactory { SharedPostgresConnectionString = _a.PostgresConnectionString, DataDirectory = _a.DataDirectory };
        _ = _b.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task An_import_on_one_instance_appears_on_the_other_and_a_revocation_on_it_is_honoured_there_at_the_next_request()
    {
        Assert.NotNull(A.PostgresConnectionString);
        Assert.Equal(A.PostgresConnectionString, B.PostgresConnectionString);
        var gateOnB = B.Services.GetRequiredService<ConsentGate>();

        var outcome = await A.Services.GetRequiredService<BundleImporter>().ImportAsync(
            TestConsents.Sample("setu_sandbox_deposit_3accounts_scrubbed.json"), TestConsents.Write(A.DataDirectory, purpose: "104"), "test");
        Assert.Equal(ImportStatus.Imported, outcome.Status);
        int customerId, consentRowId;
        await using (var db = await A.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync())
        {
            var consent = await db.Consents.SingleAsync();
            (customerId, consentRowId) = (consent.CustomerId, consent.Id);
        }

        // B never saw the import happen: it reads the store, and its gate's caches follow the data stamp.
        var onB = await gateOnB.LoadCustomerAsync(customerId);
        Assert.Equal(3, onB.Count);
        Assert.Equal(outcome.TransactionsAdded, onB.Sum(a => a.Account.Transactions.Count));

        var error = await ActivatorUtilities.CreateInstance<ConsentLineageService>(A.Services)
            .ChangeStatusAsync(consentRowId, ConsentStatus.Revoked, ConsentTransitions.Staff, "admin@msme.local", "customer revoked");
        Assert.Null(error);

        // B's next request: the revocation holds there at once, for every use.
        Assert.Empty(await gateOnB.LoadCustomerAsync(customerId));
        Assert.Empty(await gateOnB.LoadCustomerAsync(customerId, DataUse.Underwriting));
        // And the audit chain both instances append to is one intact chain.
        Assert.True((await B.Services.GetRequiredService<AuditLog>().VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task A_sign_in_on_one_instance_is_valid_on_the_other_because_the_key_ring_is_in_the_database()
    {
        // One browser's cookies, two instances behind a load balancer: the cookie A issues must open B's pages.
        var cookies = new System.Net.CookieContainer();
        using var onA = A.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        using var onB = B.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        using var anonymous = B.CreateDefaultClient();

        var signIn = await PortalFactory.SignInAsync(onA, "agent1@msme.local", PortalFactory.Password);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await onB.GetAsync("/Account/Manage")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await anonymous.GetAsync("/Account/Manage")).StatusCode);
        await using var db = await B.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }

    [SkippableFact]
    public async Task Only_one_instance_runs_the_purge_and_it_keeps_the_lease()
    {
        var workers = new[] { A, B }.Select(f => f.Services.GetServices<IHostedService>().OfType<PurgeWorker>().Single()).ToList();

        var first = await Task.WhenAll(workers.Select(w => w.RunIfLeaderAsync(CancellationToken.None)));
        var second = await Task.WhenAll(workers.Select(w => w.RunIfLeaderAsync(CancellationToken.None)));

        Assert.Single(first, r => r is not null);
        Assert.Equal(first.Select(r => r is null), second.Select(r => r is null));
    }
}
