using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.DemoData;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
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
    LoanBookImporter loanImporter,
    DemoLoadState state,
    IOptions<MsmeOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoDataLoader> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
            if (!haveCustomers)
            {
                // Generation is lazy: each bundle is written, then imported; batches commit every two seconds, so customers appear at once.
                await importer.ImportManyAsync(DemoDataset.Write(demo, directory), null, "demo-loader", outcome =>
                {
                    if (outcome.Status == ImportStatus.Rejected)
                    {
                        log.LogWarning("Demo bundle rejected: {Summary}", outcome.Summary);
                    }
                    state.Step(outcome.Status == ImportStatus.Rejected);
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
