using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Collections;

public sealed partial class CollectionsService
{
    /// <summary>
    /// The contact actions' measured effects as of a date (docs/collection-actions.md §4): every logged call (a contact
    /// log) and every reminder or payment link sent (the outbox) whose <see cref="ActionEffects.OutcomeDays"/>-day outcome
    /// is known by <paramref name="asOf"/>, against the control (first presentments returned with no action in the
    /// days after). Cached on the as-of date, the data version and the number of actions whose window has closed.
    /// </summary>
    public async Task<ActionEffects> EffectsAsync(DateOnly asOf, CancellationToken ct = default) => await EffectsAsync(asOf, await EffectsKeyAsync(asOf, ct), ct);

    /// <summary>
    /// What the effects are computed from, cheaply (two counts and the global stamp): the as-of date, the data version
    /// and the number of actions whose window has closed.
    /// </summary>
    private async Task<(string Key, long Version)> EffectsKeyAsync(DateOnly asOf, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Only actions whose outcome window has closed count, and contacts and messages are append-only with the time
        // they were made: the key moves with the days and the data, not with each contact an agent logs now (which
        // would reload every instalment on the next queue call).
        var cutoff = new DateTimeOffset(asOf.AddDays(1 - ActionEffects.OutcomeDays).ToDateTime(TimeOnly.MinValue), IndianTime.Offset);
        var contactsDone = await db.ContactLogs.Where(c => c.At < cutoff).CountAsync(ct);
        var messagesDone = await db.OutboxMessages.Where(m => m.CreatedAt < cutoff && m.Status != OutboxStatus.Failed).CountAsync(ct);
        var version = await gate.GlobalVersionAsync(ct);
        return (string.Create(CultureInfo.InvariantCulture, $"{asOf:yyyy-MM-dd}|{version}|{contactsDone}|{messagesDone}"), version);
    }

    private async Task<ActionEffects> EffectsAsync(DateOnly asOf, (string Key, long Version) input, CancellationToken ct)
    {
        var key = input.Key;
        if (gate.Cache.Portfolio<ActionEffects>("action-effects", key) is { } hit) return hit;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var contacts = await db.ContactLogs.AsNoTracking().Select(c => new { c.CustomerId, c.LoanKey, c.At, c.Disposition }).ToListAsync(ct);
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.Status != OutboxStatus.Failed)
            .Select(m => new { m.CustomerId, m.LoanKey, m.CreatedAt, m.Kind }).ToListAsync(ct);
        var actions = contacts.Select(c => (c.CustomerId, c.LoanKey, Day: IndianTime.DateOf(c.At), Kind: (ActionKind?)ActionKind.Call, PaidNow: c.Disposition == Disposition.Paid))
            .Concat(messages.Select(m => (m.CustomerId, m.LoanKey, Day: IndianTime.DateOf(m.CreatedAt), Kind: KindOf(m.Kind), PaidNow: false)))
            .Where(a => a.Kind is not null && a.Day.AddDays(ActionEffects.OutcomeDays) <= asOf)
            .ToList();
        var customers = actions.Select(a => a.CustomerId).ToHashSet();
        // The control needs every returned first presentment; the treated side only the acted-on customers' loans.
        var rows = await db.LoanInstalments.AsNoTracking()
            .Join(db.Loans, i => i.LoanKey, l => l.Id, (i, l) => new { l.CustomerId, i.LoanKey, i.Number, i.DueDate, i.PresentedDate, i.AmountPaise, i.Outcome, i.PaidPaise, i.AttemptsJson })
            .Where(r => r.DueDate <= asOf)
            .ToListAsync(ct);
        var instalments = rows.Select(r => (r.CustomerId, r.LoanKey, Instalment: new Msme.Domain.Collections.LoanInstalment(r.Number, r.DueDate, r.PresentedDate, LoanMapping.Rupees(r.AmountPaise), r.Outcome,
            LoanMapping.Rupees(r.PaidPaise)) { Attempts = LoanMapping.Attempts(r.AttemptsJson) })).ToList();
        var byCustomer = instalments.Where(i => customers.Contains(i.CustomerId)).ToLookup(i => i.CustomerId);
        var actedOn = actions.ToLookup(a => a.CustomerId);

        var outcomes = new List<ActionOutcome>();
        foreach (var a in actions)
        {
            // The instalment the action was about: the earliest one unpaid on the day, of the loan (or of any of the customer's loans).
            var target = byCustomer[a.CustomerId]
                .Where(i => (a.LoanKey is null || i.LoanKey == a.LoanKey) && i.Instalment.DueDate <= a.Day.AddDays(ActionEffects.OutcomeDays)
                    && (i.Instalment.PaidOn is null || i.Instalment.PaidOn >= a.Day))
                .OrderBy(i => i.Instalment.DueDate).Select(i => i.Instalment).FirstOrDefault();
            if (target is null) continue;
            var paid = a.PaidNow || target.PaidOn is { } on && on <= a.Day.AddDays(ActionEffects.OutcomeDays);
            outcomes.Add(new ActionOutcome(a.Kind!.Value, a.Day, paid));
        }
        int controlPaid = 0, controlTotal = 0;
        foreach (var (customerId, loanKey, i) in instalments)
        {
            if (i.FirstPresentmentBounced != true || i.DueDate.AddDays(ActionEffects.OutcomeDays) > asOf) continue;
            var end = i.DueDate.AddDays(ActionEffects.OutcomeDays);
            if (actedOn[customerId].Any(a => (a.LoanKey is null || a.LoanKey == loanKey) && a.Day >= i.DueDate && a.Day <= end)) continue;
            controlTotal++;
            if (i.PaidOn is { } on && on <= end) controlPaid++;
        }
        var effects = ActionEffects.Measure(outcomes, controlPaid, controlTotal);
        gate.Cache.SetPortfolio("action-effects", key, effects);
        return effects;
    }

    /// <summary>Which measured action an outbox message is; the pre-debit notice is mandatory, not a collection action.</summary>
    private static ActionKind? KindOf(MessageKind kind) => kind switch
    {
        MessageKind.Reminder or MessageKind.BrokenPromiseFollowUp => ActionKind.Reminder,
        MessageKind.UpiPaymentLink => ActionKind.UpiLink,
        _ => null,
    };
}
