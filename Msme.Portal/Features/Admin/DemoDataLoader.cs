using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.DemoData;
using Msme.Portal.Data;
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
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            if (await db.Customers.AnyAsync(stoppingToken))
            {
                return;
            }
        }

        var demo = new DemoOptions(DemoDataset.DefaultAsOf(clock), settings.DemoCustomers, settings.DemoMonths, settings.DemoSeed);
        var directory = Path.Combine(settings.ResolveDataDirectory(), "demo-bundles", $"seed-{demo.Seed}-{demo.AsOf:yyyyMM}");
        state.Start(demo.Customers);
        try
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
            state.Finish();
            log.LogInformation("Demo data loaded: {Customers} customers, {Months} months, seed {Seed}, as of {AsOf}; {Rejected} rejected",
                demo.Customers, demo.Months, demo.Seed, demo.AsOf, state.Rejected);
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
}
