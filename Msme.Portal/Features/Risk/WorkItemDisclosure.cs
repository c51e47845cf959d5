using Msme.Domain.Consent;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Analytics;

namespace Msme.Portal.Features.Risk;

/// <summary>
/// What an escalation work item may show now. A work item keeps the event as the reviewer saw it (period, kind, severity,
/// amount, explanation), all derived from the customer's AA data, and the reviewer's note; once no consent allows that use of the customer's data
/// (revoked, expired, purged), those fields are withheld wherever work items are listed, like every other figure. The
/// item itself (who escalated, when, to whom, its outcome) stays workable: it is the lender's record, not the data.
/// The one place both queues (credit review, agent follow-up) read work items through.
/// </summary>
public static class WorkItemDisclosure
{
    public const string Withheld = "withheld";

    /// <summary>The use the risk views compute anomaly events under (<see cref="RiskService"/> reads insights for underwriting).</summary>
    public const DataUse EventUse = DataUse.Underwriting;

    /// <summary>The items as they may be shown: those of customers without a consent that allows the events' use come back redacted.</summary>
    public static async Task<IReadOnlyList<EscalationWorkItem>> DiscloseAsync(ConsentGate gate, IReadOnlyList<EscalationWorkItem> items, CancellationToken ct = default)
    {
        if (items.Count == 0) return items;
        var analyses = await gate.AnalysesAsync([.. items.Select(w => w.CustomerId).Distinct()], ct);
        return [.. items.Select(w => analyses[w.CustomerId].Stamp.Usable(EventUse).Count > 0 ? w : Redact(w, analyses[w.CustomerId].Stamp))];
    }

    /// <summary>True when <paramref name="item"/> came back from <see cref="DiscloseAsync"/> with its figures withheld.</summary>
    public static bool IsWithheld(EscalationWorkItem item) => item.Kind == Withheld;

    private static EscalationWorkItem Redact(EscalationWorkItem w, DataStampView stamp) => new()
    {
        Id = w.Id,
        AnomalyKey = Withheld,
        CustomerId = w.CustomerId,
        Target = w.Target,
        Period = Withheld,
        Kind = Withheld,
        Severity = Withheld,
        AmountPaise = 0,
        Summary = "The event's figures are withheld: no consent of this customer allows this use of its data now"
            + (stamp.Sessions.Count == 0 ? " (no data held)." : $" ({Reasons(stamp)}).") + " The item can still be closed.",
        // The reviewer's note is the lender's instruction to whoever works the item, not AA data: it stays.
        Note = w.Note,
        CreatedById = w.CreatedById,
        CreatedByName = w.CreatedByName,
        CreatedAt = w.CreatedAt,
        DoneAt = w.DoneAt,
        DoneById = w.DoneById,
        DoneByName = w.DoneByName,
        Outcome = w.Outcome,
    };

    private static string Reasons(DataStampView stamp) =>
        string.Join("; ", stamp.Sessions.Select(s => s.WithheldBecause(EventUse, stamp.ReadAt)).OfType<string>().Distinct());
}
