using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.DemoData;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Aa;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Admin;

/// <summary>
/// On the first run of a demo instance, generates the demo customers and loads them through the ordinary import
/// path (no shortcut inserts), in the background so the portal is usable at once; the home page shows progress.
/// </summary>
public sealed class DemoDataLoader(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    BundleImporter importer,
    AaSimulatorHost simulator,
    IServiceScopeFactory scopes,
    LoanBookImporter loanImporter,
    DemoLoadState state,
    IOptions<MsmeOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    JobHeartbeats heartbeats,
    ILogger<DemoDataLoader> log) : BackgroundService
{
    public const string JobName = "demo-loader";

    /// <summary>One customer's bundle or connector round trip takes well under this; the loader beats on every customer.</summary>
    private static readonly TimeSpan BeatInterval = TimeSpan.FromMinutes(1);

    private JobBeat? _beat;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var beat = _beat = heartbeats.Start(JobName, BeatInterval);
        await LoadAsync(stoppingToken);
        // Loaded, failed or nothing to do: a one-off job either way (a failed load shows on the home page, not in readiness).
        beat.Complete();
    }

    private async Task LoadAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!DemoUsers.SeedingEnabled(settings, environment) || settings.DemoCustomers <= 0)
        {
            return;
        }
        bool haveCustomers;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            haveCustomers = await db.Customers.AnyAsync(stoppingToken);
        }

        var demo = new DemoOptions(DemoDataset.DefaultAsOf(clock), settings.DemoCustomers, settings.DemoMonths, settings.DemoSeed);
        var directory = Path.Combine(settings.ResolveDataDirectory(), "demo-bundles", $"seed-{demo.Seed}-{demo.AsOf:yyyyMM}");
        var loanBook = Path.Combine(directory, DemoDataset.LoanBookFile);
        if (haveCustomers && !File.Exists(loanBook))
        {
            return;
        }
        state.Start(haveCustomers ? 0 : demo.Customers);
        try
        {
            if (!haveCustomers && simulator.Enabled)
            {
                // AA-first: every demo customer's data arrives through the AA connector, from the embedded simulator.
                await LoadThroughTheConnectorAsync(demo, directory, stoppingToken);
            }
            else if (!haveCustomers)
            {
                // Generation is lazy: each bundle is written, then imported; batches commit every two seconds, so customers appear at once.
                await importer.ImportManyAsync(DemoDataset.Write(demo, directory), null, "demo-loader", outcome =>
                {
                    if (outcome.Status == ImportStatus.Rejected)
                    {
                        log.LogWarning("Demo bundle rejected: {Outcome}", LogSafe.Outcome(outcome));
                    }
                    state.Step(outcome.Status == ImportStatus.Rejected);
                    _beat?.Beat();
                }, stoppingToken);
            }
            // The loan book after the bundles (loans name customers the bundles create); idempotent, so safe on every start.
            var loans = await loanImporter.ImportFileAsync(loanBook, "demo-loader", stoppingToken);
            if (loans.Status == LoanImportStatus.Rejected)
            {
                throw new InvalidOperationException(loans.Summary);
            }
            var assigned = await AssignDemoPortfoliosAsync(stoppingToken);
            state.Finish();
            log.LogInformation("Demo data loaded: {Customers} customers, {Months} months, seed {Seed}, as of {AsOf}; {Rejected} rejected; {Loans}; {Assigned} customers assigned to agents",
                demo.Customers, demo.Months, demo.Seed, demo.AsOf, state.Rejected, loans.Summary, assigned);
        }
        catch (OperationCanceledException)
        {
            state.Finish("stopped before it finished; it resumes from the start on the next run only if the store is empty");
        }
        catch (Exception e)
        {
            log.LogError(e, "Demo data load failed");
            state.Finish(e.Message);
        }
    }

    /// <summary>
    /// The first run's demo data through the connector, customer by customer, exactly as an FIU takes on a borrower:
    /// the lender's own record of the business, a consent request with the demo's purpose and ranges, the AA's approval,
    /// the signed artefact, then FI request, fetch, decryption and import. The loan book follows.
    /// </summary>
    private async Task LoadThroughTheConnectorAsync(DemoOptions demo, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        using var scope = scopes.CreateScope();
        var consents = scope.ServiceProvider.GetRequiredService<AaConsentService>();
        var fetches = scope.ServiceProvider.GetRequiredService<AaFetchService>();
        var actor = new AaActor("demo-loader");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var customers = new List<DemoCustomer>();
        foreach (var c in DemoGenerator.Generate(demo))
        {
            customers.Add(c);
            var ok = false;
            try
            {
                ok = await LoadOneAsync(c, consents, fetches, actor, ct);
            }
            catch (Exception e) when (e is AaCallException or InvalidOperationException)
            {
                log.LogWarning("Demo customer {Index} did not load through the AA connector: {Error}", c.Index, LogSafe.Text(e.Message));
            }
            state.Step(!ok);
            _beat?.Beat();
        }
        DemoBundleWriter.WriteLoanBook(customers, Path.Combine(directory, DemoDataset.LoanBookFile));
        log.LogInformation("Demo data fetched through the AA connector: {Customers} customers in {Seconds:0.0} s", customers.Count, started.Elapsed.TotalSeconds);
    }

    private async Task<bool> LoadOneAsync(DemoCustomer c, AaConsentService consents, AaFetchService fetches, AaActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The lender's own record of the business (its onboarding), before any data is asked for.
            if (!await db.Customers.AnyAsync(x => x.AaHandle == c.Customer.AaHandle, ct))
            {
                db.Customers.Add(new Customer
                {
                    AaHandle = c.Customer.AaHandle, LegalName = c.Customer.LegalName, Pan = c.Customer.Pan, Udyam = c.Customer.Udyam,
                    BusinessCategory = c.Customer.BusinessCategory, Scale = c.Customer.Scale, CreatedAt = now,
                });
                await db.SaveChangesAsync(ct);
            }
        }
        var consent = c.Consent;
        var expiry = consent.ConsentExpiry is { } e && e > now ? e - now : TimeSpan.FromDays(365);
        var request = await consents.RequestAsync(new ConsentAsk
        {
            CustomerHandle = c.Customer.AaHandle,
            PurposeCode = consent.PurposeCode ?? "104",
            FiFrom = DateOnly.FromDateTime(consent.FiDataFrom!.Value.UtcDateTime),
            FiTo = DateOnly.FromDateTime(consent.FiDataTo!.Value.UtcDateTime),
            FetchType = consent.FetchType ?? "PERIODIC",
            DataLifeMonths = consent.DataLifeUnit == "YEAR" ? (consent.DataLifeValue ?? 1) * 12 : consent.DataLifeValue ?? 12,
            FrequencyUnit = consent.FrequencyUnit ?? "MONTH",
            FrequencyValue = consent.FrequencyValue ?? 1,
            Validity = expiry,
        }, actor, ct);
        ConsentCheck check;
        var polls = 0;
        do
        {
            check = await consents.CheckAsync(request.ConsentHandle, actor, ct);
        }
        while (check.Status == "PENDING" && ++polls < 10);
        if (!check.ArtefactStored || check.ConsentId is null)
        {
            log.LogWarning("Demo consent for demo customer {Index} not granted: {Status} {Refusal}", c.Index, check.Status, LogSafe.Text(check.Refusal));
            return false;
        }
        // The demo's statement window; a monitoring consent reaches into the future, the fetch stops at yesterday.
        var to = c.Consent.FiDataTo > now ? DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1) : (DateOnly?)null;
        var result = await fetches.FetchAsync(check.ConsentId, null, to, "demo", actor, ct);
        if (!result.Succeeded)
        {
            log.LogWarning("Demo fetch for demo customer {Index} failed: {Code} {Error}", c.Index, result.ErrorCode, LogSafe.Text(result.Error));
        }
        return result.Succeeded;
    }

    /// <summary>agent1 works the even customer ids, agent2 the odd ones; customers already assigned keep their agent.</summary>
    private async Task<int> AssignDemoPortfoliosAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agents = await db.Users.Where(u => u.Email == DemoUsers.Agent1 || u.Email == DemoUsers.Agent2)
            .ToDictionaryAsync(u => u.Email!, u => u.Id, ct);
        if (agents.Count < 2)
        {
            return 0;
        }
        var unassigned = await db.Customers.Where(c => !db.AgentPortfolios.Any(p => p.CustomerId == c.Id)).Select(c => c.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var id in unassigned)
        {
            db.AgentPortfolios.Add(new AgentPortfolio
            {
                CustomerId = id,
                AgentUserId = id % 2 == 0 ? agents[DemoUsers.Agent1] : agents[DemoUsers.Agent2],
                AssignedBy = "demo-loader",
                AssignedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        return unassigned.Count;
    }
}
