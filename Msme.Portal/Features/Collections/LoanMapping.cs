using System.Text.Json;
using Msme.Domain.Collections;
using Entities = Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Collections;

/// <summary>Loan book rows to the domain's records and back. Money: paise in storage, rupees (decimal) in the domain.</summary>
internal static class LoanMapping
{
    private sealed record StoredAttempt(DateOnly Date, bool Presentment, bool Bounced, long AmountPaise, string? TxnId, string? ChargeTxnId);

    public static long Paise(decimal rupees) => (long)decimal.Round(rupees * 100m, 0, MidpointRounding.AwayFromZero);

    public static decimal Rupees(long paise) => paise / 100m;

    public static string AttemptsJson(IReadOnlyList<LoanAttempt> attempts) => attempts.Count == 0 ? "[]"
        : JsonSerializer.Serialize(attempts.Select(a => new StoredAttempt(a.Date, a.Presentment, a.Bounced, Paise(a.Amount), a.TxnId, a.ChargeTxnId)));

    public static IReadOnlyList<LoanAttempt> Attempts(string json) => json == "[]" ? []
        : [.. (JsonSerializer.Deserialize<List<StoredAttempt>>(json) ?? []).Select(a => new LoanAttempt(a.Date, a.Presentment, a.Bounced, Rupees(a.AmountPaise), a.TxnId, a.ChargeTxnId))];

    public static Loan ToDomain(Entities.Loan l, string aaHandle) => new()
    {
        LoanId = l.LoanId,
        Customer = aaHandle,
        Lender = l.Lender,
        Product = l.Product,
        SanctionedAmount = Rupees(l.SanctionedPaise),
        Emi = Rupees(l.EmiPaise),
        DueDay = l.DueDay,
        TenureMonths = l.TenureMonths,
        StartDate = l.StartDate,
        Mandate = l.Mandate,
        MandateRef = l.MandateRef,
        MaskedAccNumber = l.MaskedAccNumber,
        LinkRefNumber = l.LinkRefNumber,
        Instalments = [.. l.Instalments.OrderBy(i => i.Number).Select(i => new LoanInstalment(i.Number, i.DueDate, i.PresentedDate,
            Rupees(i.AmountPaise), i.Outcome, Rupees(i.PaidPaise)) { Attempts = Attempts(i.AttemptsJson) })],
    };

    /// <summary>Copies the book's terms onto the row; true when anything changed.</summary>
    public static bool ApplyTerms(Entities.Loan row, Loan book, int customerId)
    {
        var changed = row.CustomerId != customerId || row.Lender != book.Lender || row.Product != book.Product
            || row.SanctionedPaise != Paise(book.SanctionedAmount) || row.EmiPaise != Paise(book.Emi) || row.DueDay != book.DueDay
            || row.TenureMonths != book.TenureMonths || row.StartDate != book.StartDate || row.Mandate != book.Mandate
            || row.MandateRef != book.MandateRef || row.MaskedAccNumber != book.MaskedAccNumber || row.LinkRefNumber != book.LinkRefNumber;
        if (!changed) return false;
        row.CustomerId = customerId;
        row.Lender = book.Lender;
        row.Product = book.Product;
        row.SanctionedPaise = Paise(book.SanctionedAmount);
        row.EmiPaise = Paise(book.Emi);
        row.DueDay = book.DueDay;
        row.TenureMonths = book.TenureMonths;
        row.StartDate = book.StartDate;
        row.Mandate = book.Mandate;
        row.MandateRef = book.MandateRef;
        row.MaskedAccNumber = book.MaskedAccNumber;
        row.LinkRefNumber = book.LinkRefNumber;
        return true;
    }

    /// <summary>Copies one instalment onto its row; true when anything changed.</summary>
    public static bool ApplyInstalment(Entities.LoanInstalment row, LoanInstalment book)
    {
        var attempts = AttemptsJson(book.Attempts);
        var changed = row.DueDate != book.DueDate || row.PresentedDate != book.PresentedDate || row.AmountPaise != Paise(book.Amount)
            || row.Outcome != book.Outcome || row.PaidPaise != Paise(book.PaidAmount) || row.AttemptsJson != attempts;
        if (!changed) return false;
        row.DueDate = book.DueDate;
        row.PresentedDate = book.PresentedDate;
        row.AmountPaise = Paise(book.Amount);
        row.Outcome = book.Outcome;
        row.PaidPaise = Paise(book.PaidAmount);
        row.AttemptsJson = attempts;
        return true;
    }
}
