using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>How the book and the bank statement agree on one instalment.</summary>
public enum ReconciliationStatus
{
    /// <summary>Book and statement tell the same story (paid and debited, or bounced/missed/pending and nothing debited).</summary>
    Agrees,
    /// <summary>The statement shows the EMI debited but the book says bounced, missed or pending.</summary>
    BankShowsPaidBookSaysNot,
    /// <summary>The book says paid but the statement has no EMI debit for it.</summary>
    BookSaysPaidBankShowsNone,
    /// <summary>The bank charged a return but the book records no bounce for the instalment.</summary>
    BounceChargeWithoutBookBounce,
    /// <summary>Debits found, but their sum differs from the book's paid amount by more than ₹1.</summary>
    AmountDiffers,
    /// <summary>The instalment's dates fall outside the statement: nothing to compare.</summary>
    OutsideStatement,
}

/// <summary>One instalment compared with the statement, with the lines that decided it.</summary>
public sealed record InstalmentReconciliation(
    int Number,
    DateOnly DueDate,
    InstalmentOutcome BookOutcome,
    decimal BookPaidAmount,
    decimal BankDebited,
    ReconciliationStatus Status,
    IReadOnlyList<string> DebitTxnIds,
    IReadOnlyList<string> ChargeTxnIds,
    IReadOnlyList<string> Reasons);

/// <summary>A loan's book compared with its collection account's statement.</summary>
/// <param name="UnassignedLines">The loan's EMI-like debits and charges that no instalment claimed.</param>
public sealed record ReconciliationResult(
    string LoanId,
    string MaskedAccNumber,
    IReadOnlyList<InstalmentReconciliation> Instalments,
    IReadOnlyList<string> UnassignedLines)
{
    public int Disagreements => Instalments.Count(i => i.Status is not (ReconciliationStatus.Agrees or ReconciliationStatus.OutsideStatement));
}

/// <summary>Matches each instalment of the lender's book to its EMI debit and bounce charge in the AA statement.</summary>
/// <remarks>
/// Search windows: an EMI debit within ±3 days of the presented date (the due date when not presented) or of any attempt
/// date the book lists; a bounce charge 0-3 days after the presentment or a returned attempt. The book's txnIds, when
/// given, match directly. Each statement line is claimed by at most one instalment, in instalment order.
/// </remarks>
public static class LoanReconciler
{
    public const int DebitWindowDays = 3;
    public const int ChargeWindowDays = 3;

    public static ReconciliationResult Reconcile(Loan loan, DepositAccount account)
    {
        ArgumentNullException.ThrowIfNull(loan);
        ArgumentNullException.ThrowIfNull(account);
        var lines = CollectionLines.OwnLines(loan, account);
        var byId = lines.ToDictionary(t => t.TxnId, StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        DateOnly? first = account.Transactions.Count == 0 ? null : account.Transactions.Min(t => t.Date);
        DateOnly? last = account.Transactions.Count == 0 ? null : account.Transactions.Max(t => t.Date);
        if (account.StartDate is { } s && (first is null || s > first)) first = s;
        if (account.EndDate is { } e && (last is null || e < last)) last = e;

        var results = new List<InstalmentReconciliation>();
        foreach (var inst in loan.Instalments)
        {
            var anchor = inst.PresentedDate ?? inst.DueDate;
            var reasons = new List<string>();
            if (first is null || last is null || anchor.AddDays(DebitWindowDays) < first || anchor.AddDays(-DebitWindowDays) > last)
            {
                results.Add(new(inst.Number, inst.DueDate, inst.Outcome, inst.PaidAmount, 0, ReconciliationStatus.OutsideStatement, [], [],
                    [$"presented/due {anchor:yyyy-MM-dd} is outside the statement {first:yyyy-MM-dd}..{last:yyyy-MM-dd}"]));
                continue;
            }

            var debits = new List<Transaction>();
            var charges = new List<Transaction>();
            // 1. The book's own txnIds.
            foreach (var a in inst.Attempts)
            {
                if (a.TxnId is { } id)
                {
                    if (byId.TryGetValue(id, out var t) && claimed.Add(id)) debits.Add(t);
                    else if (!byId.ContainsKey(id)) reasons.Add($"the book names debit {id} (₹{a.Amount:0.00} on {a.Date:yyyy-MM-dd}) but the statement has no such loan line");
                }
                if (a.ChargeTxnId is { } cid && byId.TryGetValue(cid, out var c) && claimed.Add(cid)) charges.Add(c);
            }
            // 2. Narration and amount within the windows around the presentment and every attempt.
            var anchors = new List<DateOnly> { anchor };
            anchors.AddRange(inst.Attempts.Select(a => a.Date));
            foreach (var t in lines)
            {
                if (claimed.Contains(t.TxnId)) continue;
                var near = anchors.Any(d => Math.Abs(t.Date.DayNumber - d.DayNumber) <= DebitWindowDays);
                var after = anchors.Any(d => t.Date.DayNumber - d.DayNumber is >= 0 and <= ChargeWindowDays);
                if (near && (CollectionLines.IsEmiDebit(loan, t, inst.Amount) || CollectionLines.IsManualPayment(loan, t)) && claimed.Add(t.TxnId))
                    debits.Add(t);
                else if (after && CollectionLines.IsBounceCharge(loan, t) && claimed.Add(t.TxnId))
                    charges.Add(t);
            }

            var debited = debits.Sum(t => t.Amount);
            var bookBounce = inst.FirstPresentmentBounced == true || inst.Attempts.Any(a => a.Bounced) || inst.Outcome == InstalmentOutcome.Bounced;
            var status = ReconciliationStatus.Agrees;
            if (debits.Count > 0)
                reasons.Add($"statement debits {string.Join(", ", debits.Select(t => $"{t.TxnId} ₹{t.Amount:0.00} on {t.Date:yyyy-MM-dd}"))}");
            if (charges.Count > 0)
                reasons.Add($"bounce charges {string.Join(", ", charges.Select(t => $"{t.TxnId} ₹{t.Amount:0.00} on {t.Date:yyyy-MM-dd}"))}");

            if (debited >= inst.Amount - CollectionLines.AmountTolerance && inst.Outcome is not (InstalmentOutcome.Paid or InstalmentOutcome.Partial))
            {
                status = ReconciliationStatus.BankShowsPaidBookSaysNot;
                reasons.Add($"bank debited ₹{debited:0.00} of the ₹{inst.Amount:0.00} EMI; the book says {LoanBookCodes.Of(inst.Outcome)}");
            }
            else if (inst.Outcome == InstalmentOutcome.Paid && debits.Count == 0)
            {
                status = ReconciliationStatus.BookSaysPaidBankShowsNone;
                reasons.Add($"the book says PAID ₹{inst.PaidAmount:0.00} but no EMI debit of ₹{inst.Amount:0.00}±1 lies within {DebitWindowDays} days of {string.Join(" / ", anchors.Distinct().Select(d => d.ToString("yyyy-MM-dd")))}");
            }
            else if (charges.Count > 0 && !bookBounce)
            {
                status = ReconciliationStatus.BounceChargeWithoutBookBounce;
                reasons.Add($"{charges.Count} bounce charge(s) but the book records no return for instalment {inst.Number}");
            }
            else if (debits.Count > 0 && Math.Abs(debited - inst.PaidAmount) > CollectionLines.AmountTolerance)
            {
                status = ReconciliationStatus.AmountDiffers;
                reasons.Add($"bank debited ₹{debited:0.00}, the book says paid ₹{inst.PaidAmount:0.00}");
            }
            else reasons.Add(debits.Count > 0
                ? $"book {LoanBookCodes.Of(inst.Outcome)} ₹{inst.PaidAmount:0.00} agrees with ₹{debited:0.00} debited"
                : $"book {LoanBookCodes.Of(inst.Outcome)} and no EMI debit in the statement");

            results.Add(new(inst.Number, inst.DueDate, inst.Outcome, inst.PaidAmount, debited, status,
                [.. debits.Select(t => t.TxnId)], [.. charges.Select(t => t.TxnId)], reasons));
        }
        var unassigned = lines.Where(t => !claimed.Contains(t.TxnId)).Select(t => t.TxnId).ToList();
        return new(loan.LoanId, account.MaskedAccNumber, results, unassigned);
    }
}
