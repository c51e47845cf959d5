namespace Msme.Domain.Collections.Actions;

/// <summary>Where a customer message stands: queued in the portal, handed to the sender, confirmed delivered, or failed.</summary>
public enum OutboxStatus { Queued, Sent, Delivered, Failed }

/// <summary>The outbox's status model: queued → sent → delivered, and failed from queued (the sender refused) or sent (a failed delivery receipt).</summary>
public static class OutboxTransitions
{
    public static bool Allowed(OutboxStatus from, OutboxStatus to) => (from, to) switch
    {
        (OutboxStatus.Queued, OutboxStatus.Sent) => true,
        (OutboxStatus.Queued, OutboxStatus.Failed) => true,
        (OutboxStatus.Sent, OutboxStatus.Delivered) => true,
        (OutboxStatus.Sent, OutboxStatus.Failed) => true,
        _ => false,
    };

    /// <summary>Delivered and failed are final.</summary>
    public static bool IsFinal(OutboxStatus s) => s is OutboxStatus.Delivered or OutboxStatus.Failed;
}
