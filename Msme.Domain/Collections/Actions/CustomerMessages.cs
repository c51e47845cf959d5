using System.Globalization;
using System.Text.RegularExpressions;

namespace Msme.Domain.Collections.Actions;

/// <summary>The messages a collections team sends a customer.</summary>
public enum MessageKind { Reminder, PreDebitNotification, BrokenPromiseFollowUp, UpiPaymentLink }

/// <summary>The customer's figures a message is rendered with. Money in rupees.</summary>
/// <param name="DebitDate">The day the mandate will be debited (pre-debit notification).</param>
/// <param name="PromiseDate">The broken promise's date (follow-up).</param>
/// <param name="PayeeVpa">The lender's collection UPI id (payment link).</param>
public sealed record MessageFigures(
    string CustomerName, string LenderName, string LoanId, int Instalment, decimal Amount, DateOnly DueDate,
    Mandate Mandate, string? MandateRef = null, DateOnly? DebitDate = null, DateOnly? PromiseDate = null, decimal? PromiseAmount = null,
    string? PayeeVpa = null, string? PayeeName = null);

/// <summary>A rendered message: its text, and for a payment link the UPI URI the text and QR code carry.</summary>
public sealed record RenderedMessage(MessageKind Kind, string Text, string? UpiUri);

/// <summary>Why a message cannot be rendered (a missing figure, a pre-debit notice too late); each names the figure.</summary>
public sealed class MessageException(string message) : Exception(message);

/// <summary>
/// The message templates (docs/collection-actions.md §3). Plain text under 480 characters (three SMS segments); every
/// figure is the customer's own, amounts as ₹ with two decimals, dates dd-MMM-yyyy. The pre-debit notification
/// carries what RBI's e-mandate framework requires of a notice sent at least 24 hours before a recurring debit:
/// who debits, the amount, the date, the mandate reference and how to opt out (withdraw the mandate).
/// </summary>
public static class MessageTemplates
{
    public const int MaxLength = 480;

    public static RenderedMessage Render(MessageKind kind, MessageFigures f, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Amount <= 0) throw new MessageException($"the amount must be more than ₹0 (was {Money(f.Amount)})");
        string? uri = null;
        var text = kind switch
        {
            MessageKind.Reminder =>
                $"Dear {f.CustomerName}, your EMI of {Money(f.Amount)} for loan {f.LoanId} (instalment {f.Instalment}) is due on {D(f.DueDate)}. " +
                $"Please keep the balance in your account{(f.Mandate == Mandate.None ? " or pay by UPI" : " for the auto-debit")}. - {f.LenderName}",
            MessageKind.PreDebitNotification => PreDebit(f, today),
            MessageKind.BrokenPromiseFollowUp =>
                $"Dear {f.CustomerName}, we did not receive the {Money(f.PromiseAmount ?? f.Amount)} you promised to pay by {D(f.PromiseDate ?? throw new MessageException("a broken-promise follow-up needs the promise's date"))} " +
                $"for loan {f.LoanId}. Please pay today or call us to agree a new date. - {f.LenderName}",
            MessageKind.UpiPaymentLink => Link(f, out uri),
            _ => throw new MessageException($"unknown message kind {kind}"),
        };
        if (text.Length > MaxLength) text = text[..(MaxLength - 1)] + "…";
        return new RenderedMessage(kind, text, uri);
    }

    private static string PreDebit(MessageFigures f, DateOnly today)
    {
        if (f.Mandate == Mandate.None) throw new MessageException($"loan {f.LoanId} has no mandate: there is no debit to notify");
        if (string.IsNullOrWhiteSpace(f.MandateRef)) throw new MessageException($"loan {f.LoanId} has no mandate reference (UMRN / UPI mandate id) to quote");
        var debit = f.DebitDate ?? f.DueDate;
        // At least 24 hours' notice: a debit today or earlier cannot be notified any more.
        if (debit <= today) throw new MessageException($"a pre-debit notification must reach the customer at least 24 hours before the debit: the debit date {D(debit)} is not after today ({D(today)})");
        var via = f.Mandate == Mandate.UpiAutoPay ? "UPI AutoPay mandate" : "e-NACH mandate";
        return $"Dear {f.CustomerName}, {f.LenderName} will debit {Money(f.Amount)} on {D(debit)} under your {via} {f.MandateRef} " +
               $"for loan {f.LoanId} EMI {f.Instalment}. To stop it, withdraw the mandate in your UPI app or with your bank before the debit.";
    }

    private static string Link(MessageFigures f, out string? uri)
    {
        var vpa = f.PayeeVpa ?? throw new MessageException("a payment link needs the lender's collection UPI id (Msme:Collections:PayeeVpa)");
        uri = UpiLink.Build(vpa, f.PayeeName ?? f.LenderName, f.Amount, f.LoanId);
        return $"Dear {f.CustomerName}, pay your EMI of {Money(f.Amount)} for loan {f.LoanId} by UPI: {uri} - {f.LenderName}";
    }

    /// <summary>₹12,345.50: Indian digit grouping, two decimals.</summary>
    public static string Money(decimal rupees) => "₹" + rupees.ToString("#,##,##0.00", IndianNumbers);

    private static string D(DateOnly d) => d.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture);

    private static readonly CultureInfo IndianNumbers = CultureInfo.GetCultureInfo("en-IN");
}

/// <summary>
/// UPI deep links (NPCI's "UPI Linking Specification": <c>upi://pay?pa=&amp;pn=&amp;am=&amp;tn=&amp;cu=INR</c>). Values are
/// percent-encoded (RFC 3986: a space is %20, never '+', which some UPI apps show as a plus); the amount has exactly two
/// decimals; the transaction note carries the loan reference so the credit can be matched to the loan.
/// </summary>
public static partial class UpiLink
{
    public static string Build(string payeeVpa, string payeeName, decimal amount, string loanReference)
    {
        ArgumentNullException.ThrowIfNull(payeeVpa);
        ArgumentNullException.ThrowIfNull(payeeName);
        ArgumentNullException.ThrowIfNull(loanReference);
        if (!VpaPattern().IsMatch(payeeVpa)) throw new MessageException($"'{payeeVpa}' is not a UPI id (name@handle)");
        if (amount <= 0) throw new MessageException($"the link's amount must be more than ₹0 (was {amount.ToString(CultureInfo.InvariantCulture)})");
        if (decimal.Round(amount, 2) != amount) throw new MessageException($"the link's amount has at most 2 decimals (was {amount.ToString(CultureInfo.InvariantCulture)})");
        if (string.IsNullOrWhiteSpace(loanReference)) throw new MessageException("the link needs the loan reference");
        // '@' may stand in a query (RFC 3986) and UPI apps expect it as typed.
        return "upi://pay?pa=" + Uri.EscapeDataString(payeeVpa).Replace("%40", "@", StringComparison.Ordinal)
            + "&pn=" + Uri.EscapeDataString(payeeName.Trim())
            + "&am=" + amount.ToString("0.00", CultureInfo.InvariantCulture)
            + "&tn=" + Uri.EscapeDataString(loanReference.Trim())
            + "&cu=INR";
    }

    [GeneratedRegex(@"^[A-Za-z0-9._\-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$")]
    private static partial Regex VpaPattern();
}
