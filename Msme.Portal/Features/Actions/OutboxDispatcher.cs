using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.Collections.Actions;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Features.Aa;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Actions;

/// <summary>
/// Moves queued messages to the sender, oldest first, on one instance at a time (a lease, as the periodic fetch).
/// A refused send is retried on the next run until <see cref="OutboxSettings.MaxAttempts"/>, then failed. Every
/// status change is audited under the dispatcher's name.
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<ApplicationDbContext> dbFactory, IEnumerable<IMessageSender> senders, JobLeases leases, AuditLog audit, TimeProvider clock,
    IOptions<MsmeOptions> options, ILogger<OutboxDispatcher> log)
{
    public const string LeaseName = "outbox-dispatch";
    public const int BatchSize = 50;

    /// <summary>The configured sender; null for "None" (messages stay queued).</summary>
    public IMessageSender? Sender => options.Value.Collections.Outbox.Sender.ToLowerInvariant() switch
    {
        "none" => null,
        var name => senders.FirstOrDefault(s => s.Name == name)
            ?? throw new InvalidOperationException($"Msme:Collections:Outbox:Sender '{options.Value.Collections.Outbox.Sender}' is not File, Webhook or None"),
    };

    /// <summary>Sends up to <see cref="BatchSize"/> queued messages when this holder gets the lease; returns how many changed status.</summary>
    public async Task<int> RunOnceAsync(string holder, CancellationToken ct = default)
    {
        if (Sender is not { } sender || !await leases.TryAcquireAsync(LeaseName, holder, TimeSpan.FromMinutes(5), ct)) return 0;
        var changed = 0;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var queued = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Queued).OrderBy(m => m.Id).Take(BatchSize).ToListAsync(ct);
            foreach (var m in queued)
            {
                var result = await sender.SendAsync(m, ct);
                m.Attempts++;
                var status = result.Status == OutboxStatus.Failed && m.Attempts < options.Value.Collections.Outbox.MaxAttempts ? OutboxStatus.Queued : result.Status;
                if (status != OutboxStatus.Queued && !OutboxTransitions.Allowed(m.Status, status))
                    throw new InvalidOperationException($"the sender moved message #{m.Id} from {m.Status} to {status}");
                m.Status = status;
                m.Sender = sender.Name;
                m.SenderReference = result.Reference;
                m.Error = result.Error;
                if (status == OutboxStatus.Sent) m.SentAt = clock.GetUtcNow();
                if (status == OutboxStatus.Failed) m.FailedAt = clock.GetUtcNow();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.SaveChangesAsync(ct);
                await audit.AppendAsync(db, new AuditEvent(null, "outbox-dispatcher", "", status == OutboxStatus.Sent ? "message-sent" : status == OutboxStatus.Failed ? "message-failed" : "message-retry",
                    $"/customers/{m.CustomerId}/outbox", m.CustomerId, string.Create(CultureInfo.InvariantCulture,
                        $"message #{m.Id} {m.Kind} to {Masking.Mobile(m.Recipient)} via {sender.Name}, attempt {m.Attempts}: {(result.Error ?? result.Reference)}")), ct);
                await tx.CommitAsync(ct);
                changed++;
            }
        }
        finally
        {
            await leases.ReleaseAsync(LeaseName, holder, CancellationToken.None);
        }
        if (changed > 0) log.LogInformation("Outbox: {Count} message(s) handed to the {Sender} sender", changed, Sender?.Name);
        return changed;
    }

    /// <summary>
    /// A delivery receipt from the gateway: sent → delivered or failed. Refused (false with the reason) for any other move.
    /// </summary>
    public async Task<(bool Ok, string? Error)> ReceiptAsync(long messageId, OutboxStatus status, string? reason, System.Security.Claims.ClaimsPrincipal by, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var m = await db.OutboxMessages.FirstOrDefaultAsync(x => x.Id == messageId, ct);
        if (m is null) return (false, $"no outbox message #{messageId}");
        if (status is not (OutboxStatus.Delivered or OutboxStatus.Failed) || !OutboxTransitions.Allowed(m.Status, status))
            return (false, $"message #{messageId} is {m.Status}: a receipt cannot make it {status}");
        m.Status = status;
        if (status == OutboxStatus.Delivered) m.DeliveredAt = clock.GetUtcNow();
        else
        {
            m.FailedAt = clock.GetUtcNow();
            m.Error = reason is null ? "delivery failed" : AuditEvent.Bound(reason, 1000);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, AuditEvent.For(by, status == OutboxStatus.Delivered ? "message-delivered" : "message-failed", $"/customers/{m.CustomerId}/outbox", m.CustomerId,
            $"message #{m.Id} receipt: {status}{(reason is null ? "" : $" ({reason})")}"), ct);
        await tx.CommitAsync(ct);
        return (true, null);
    }
}

/// <summary>Runs <see cref="OutboxDispatcher"/> every <see cref="OutboxSettings.DispatchInterval"/> on the app's clock, beating for readiness.</summary>
public sealed class OutboxWorker(IServiceScopeFactory scopes, JobLeases leases, TimeProvider clock, IOptions<MsmeOptions> options, JobHeartbeats heartbeats,
    ILogger<OutboxWorker> log) : BackgroundService
{
    public const string JobName = "outbox-dispatch";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var beat = heartbeats.Start(JobName, options.Value.Collections.Outbox.DispatchInterval);
        using var timer = new PeriodicTimer(options.Value.Collections.Outbox.DispatchInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Beats on every pass, whether this instance holds the lease or another one sends.
            beat.Beat();
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().RunOnceAsync(leases.Holder, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Outbox dispatch failed");
            }
        }
    }
}

public static class ActionsServiceCollectionExtensions
{
    /// <summary>Collection actions: presentment batches, the return-rate monitor, the outbox with its senders and dispatcher.</summary>
    public static IServiceCollection AddCollectionActions(this IServiceCollection services)
    {
        services.AddScoped<PresentmentService>();
        services.AddScoped<ReturnRateService>();
        services.AddScoped<OutboxService>();
        services.AddScoped<OutboxDispatcher>();
        services.AddSingleton<IMessageSender, FileMessageSender>();
        services.AddSingleton<IMessageSender, WebhookMessageSender>();
        services.AddHttpClient(WebhookMessageSender.ClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
