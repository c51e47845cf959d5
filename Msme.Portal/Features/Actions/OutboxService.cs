using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Actions;

/// <summary>A message as rendered for the customer before it is queued: the text, the recipient (masked for the viewer), the UPI link and its QR code.</summary>
public sealed record MessageDraft(int CustomerId, int LoanKey, string LoanId, MessageKind Kind, string Recipient, string MaskedRecipient, decimal Amount, RenderedMessage Message)
{
    /// <summary>PNG data URI of the payment link's QR code; null for other messages.</summary>
    public string? QrDataUri => Message.UpiUri is { } uri ? UpiQrCode.PngDataUri(uri) : null;
}

/// <summary>One outbox message as a customer's timeline and history show it (recipient masked for the viewer).</summary>
public sealed record MessageView(long Id, DateTimeOffset At, string CreatedBy, MessageKind Kind, string LoanId, string Recipient, string Body, string? UpiUri,
    decimal Amount, OutboxStatus Status, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, string? Error);

/// <summary>
/// Customer messages (docs/collection-actions.md §3): renders a template with the customer's figures (the collections
/// plan, read through the consent gate), and queues it in the outbox for the dispatcher. Agents message customers in
/// their portfolio only; every queued message is audited with the change that stores it; recipients are shown masked
/// unless the role may see mobiles.
/// </summary>
public sealed class OutboxService(
    IDbContextFactory<ApplicationDbContext> dbFactory, CollectionsService collections, AuditLog audit, TimeProvider clock, IOptions<MsmeOptions> options)
{
    public const string Target = "/customers/{id}/outbox";

    public static string Title(MessageKind kind) => kind switch
    {
        MessageKind.Reminder => "Reminder",
        MessageKind.PreDebitNotification => "Pre-debit notification",
        MessageKind.BrokenPromiseFollowUp => "Broken-promise follow-up",
        MessageKind.UpiPaymentLink => "UPI payment link",
        _ => kind.ToString(),
    };

    /// <summary>Renders the message for the loan's next instalment (or its broken promise); errors say which figure is missing.</summary>
    public async Task<(MessageDraft? Draft, string? Error)> DraftAsync(ClaimsPrincipal user, int customerId, int loanKey, MessageKind kind, CancellationToken ct = default)
    {
        var viewer = CollectionsViewer.From(user);
        var plan = await collections.CustomerAsync(viewer, customerId, ct);
        if (plan is null) return (null, "this customer is not in your portfolio");
        var loan = plan.Loans.FirstOrDefault(l => l.LoanKey == loanKey);
        if (loan is null) return (null, $"loan #{loanKey} is not this customer's");
        var mobile = loan.HolderMobile;
        if (mobile is null)
            return (null, loan.Balances is null
                ? $"no AA account {loan.Loan.MaskedAccNumber} the consents allow: no mobile number to message"
                : "the AA profile of the repayment account gives no mobile number");
        var today = IndianTime.Today(clock);
        var next = loan.Upcoming.OrderBy(u => u.DueDate).FirstOrDefault();
        var instalment = next is not null
            ? loan.Loan.Instalments.First(i => i.Number == next.InstalmentNumber)
            : loan.Loan.Instalments.FirstOrDefault(i => i.Outcome != InstalmentOutcome.Paid);
        if (instalment is null) return (null, $"loan {loan.Loan.LoanId} has no unpaid instalment");
        var due = instalment.Amount - instalment.PaidAmount;
        var shift = next?.Recommendations.FirstOrDefault(r => r.Action == RecommendedAction.ShiftPresentment)?.Date;
        var broken = plan.Contacts.Where(c => c.Ptp?.State == PtpState.Broken && (c.LoanId is null || c.LoanId == loan.Loan.LoanId)).OrderByDescending(c => c.At).FirstOrDefault();
        var settings = options.Value.Collections;
        var amount = kind switch
        {
            MessageKind.BrokenPromiseFollowUp => broken?.PtpAmount ?? due,
            MessageKind.UpiPaymentLink => loan.Delinquency.Overdue > 0 ? loan.Delinquency.Overdue : due,
            _ => due,
        };
        var figures = new MessageFigures(plan.CustomerName, settings.LenderName, loan.Loan.LoanId, instalment.Number, amount, instalment.DueDate, loan.Loan.Mandate,
            loan.Loan.MandateRef, DebitDate: shift ?? instalment.DueDate, PromiseDate: broken?.PtpDate, PromiseAmount: broken?.PtpAmount,
            PayeeVpa: settings.PayeeVpa, PayeeName: settings.LenderName);
        if (kind == MessageKind.BrokenPromiseFollowUp && broken is null) return (null, $"no broken promise to pay on loan {loan.Loan.LoanId}");
        try
        {
            var message = MessageTemplates.Render(kind, figures, today);
            var policy = DisclosurePolicy.For(Roles.All.Where(user.IsInRole));
            return (new MessageDraft(customerId, loanKey, loan.Loan.LoanId, kind, mobile, policy.Mobile ? mobile : Masking.Mobile(mobile)!, amount, message), null);
        }
        catch (MessageException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Renders and queues the message; the row and its audit entry commit together.</summary>
    public async Task<(OutboxMessage? Message, string? Error)> QueueAsync(ClaimsPrincipal user, int customerId, int loanKey, MessageKind kind, CancellationToken ct = default)
    {
        var (draft, error) = await DraftAsync(user, customerId, loanKey, kind, ct);
        if (draft is null)
        {
            await audit.AppendAsync(AuditEvent.For(user, "message-refused", Target.Replace("{id}", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), customerId,
                $"{kind} for loan #{loanKey}: {error}"), ct);
            return (null, error);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var userId = PresentmentService.ActorId(user);
        var row = new OutboxMessage
        {
            CustomerId = customerId,
            LoanKey = loanKey,
            LoanId = draft.LoanId,
            Kind = kind,
            Channel = "SMS",
            Recipient = draft.Recipient,
            Body = draft.Message.Text,
            UpiUri = draft.Message.UpiUri,
            AmountPaise = LoanMapping.Paise(draft.Amount),
            CreatedByUserId = userId,
            CreatedByName = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? user.Identity?.Name ?? "unknown",
            CreatedAt = clock.GetUtcNow(),
            Status = OutboxStatus.Queued,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, AuditEvent.For(user, "message-queue", Target.Replace("{id}", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), customerId,
            $"message #{row.Id} {kind} for {draft.LoanId} to {Masking.Mobile(row.Recipient)}, amount {BulkDebitFile.Amount(draft.Amount)}"), ct);
        await tx.CommitAsync(ct);
        return (row, null);
    }

    /// <summary>The customer's messages, newest first; null when the viewer may not see the customer.</summary>
    public async Task<IReadOnlyList<MessageView>?> MessagesAsync(ClaimsPrincipal user, int customerId, CancellationToken ct = default)
    {
        if (!await collections.CanSeeAsync(CollectionsViewer.From(user), customerId, ct)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.CustomerId == customerId).OrderByDescending(m => m.Id).ToListAsync(ct);
        return [.. rows.Select(m => View(m, DisclosurePolicy.For(Roles.All.Where(user.IsInRole))))];
    }

    public static MessageView View(OutboxMessage m, DisclosurePolicy policy) =>
        new(m.Id, m.CreatedAt, m.CreatedByName, m.Kind, m.LoanId, policy.Mobile ? m.Recipient : Masking.Mobile(m.Recipient)!, m.Body, m.UpiUri,
            LoanMapping.Rupees(m.AmountPaise), m.Status, m.SentAt, m.DeliveredAt, m.Error);
}
