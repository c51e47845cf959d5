using Msme.Portal.Features.Collections;

namespace Msme.Portal.Features.Risk;

/// <summary>
/// Keeps the risk dashboard warm: computes every customer's risk figures and the loan book figures after start-up, then
/// again every <see cref="RiskCache.CheckInterval"/> on the app's clock or at once on <see cref="RiskCache.Invalidate"/>.
/// Only customers whose data stamp changed are recomputed. Correctness never waits for it: every request reads the
/// stamps itself (<see cref="Analytics.ConsentGate"/>), so a change is seen at the next request; this only saves the
/// next page the computing.
/// </summary>
public sealed class RiskCacheWarmer(IServiceScopeFactory scopes, RiskCache cache, TimeProvider clock, ILogger<RiskCacheWarmer> log,
    Msme.Portal.Hosting.JobHeartbeats? heartbeats = null) : BackgroundService
{
    public const string JobName = "risk-cache-warmer";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var beat = heartbeats?.Start(JobName, cache.CheckInterval);
        // Off the start-up path: the host finishes starting while the first pass runs.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var signal = cache.ChangeSignal;
            await WarmOnceAsync(stoppingToken);
            beat?.Beat();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var tick = Task.Delay(cache.CheckInterval, clock, wait.Token);
            await Task.WhenAny(signal, tick);
            await wait.CancelAsync();
        }
    }

    /// <summary>One pass: recomputes what changed since the last one; a failure is logged and retried at the next check.</summary>
    public async Task WarmOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var risk = await scope.ServiceProvider.GetRequiredService<RiskService>().GetPortfolioAsync(null, ct);
            if (risk.Computed > 0)
            {
                log.LogInformation("Risk cache warmed: {Computed} customers computed, {FromCache} unchanged, in {Elapsed}", risk.Computed, risk.FromCache, risk.Elapsed);
            }
            // Collections registers its service separately; a host without it has no loan book to warm.
            if (scope.ServiceProvider.GetService<CollectionsService>() is { } collections)
            {
                await collections.LoanBookFiguresAsync(ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Risk cache warm-up failed; it retries at the next check");
        }
    }
}
