using System.Globalization;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

public enum PtpState { Open, Kept, Broken }

/// <summary>A promise's state and the evidence for it.</summary>
public sealed record PtpVerdict(PtpState State, IReadOnlyList<string> Reasons);

/// <summary>
/// Judges a promise to pay against the lender's book and the AA statement. Kept: between the contact and the PTP date
/// the book marks an instalment of the loan PAID, or the statement shows a payment to the loan (EMI debit or a manual
/// payment naming it) of at least the promised amount. Broken: the PTP date has passed without either. Open otherwise.
/// A credit into the account is not a payment: it is reported as a sign funds arrived, never as a kept promise.
/// </summary>
public static class PromiseToPay
{
    public static PtpVerdict Evaluate(DateOnly contactDate, DateOnly ptpDate, decimal amount, IReadOnlyList<Loan> loans,
        IReadOnlyList<DepositAccount> accounts, DateOnly today)
    {
        var inv = CultureInfo.InvariantCulture;
        var span = $"{contactDate:yyyy-MM-dd}..{ptpDate:yyyy-MM-dd}";
        foreach (var loan in loans)
        {
            foreach (var i in loan.Instalments)
            {
                if (i.PaidOn is { } paid && paid >= contactDate && paid <= ptpDate)
                {
                    return new(PtpState.Kept, [string.Create(inv, $"the book marks {loan.LoanId} instalment {i.Number} PAID ₹{i.PaidAmount:0.00} on {paid:yyyy-MM-dd}, within {span}")]);
                }
            }
        }
        // Loan lines as the reconciler knows them: an EMI debit (EMI ± ₹1) or a manual payment of at most the EMI naming the loan id.
        // Several payments within the span add up (a promise may be kept in parts).
        var payments = accounts.SelectMany(a => a.Transactions.Select(t => (Account: a, Txn: t)))
            .Where(x => x.Txn.Date >= contactDate && x.Txn.Date <= ptpDate && x.Txn.Type == TxnType.Debit)
            .Select(x => (x.Account, x.Txn, Loan: loans.FirstOrDefault(l => CollectionLines.IsEmiDebit(l, x.Txn, l.Emi)
                || (CollectionLines.IsManualPayment(l, x.Txn) && x.Txn.Amount <= l.Emi + CollectionLines.AmountTolerance))))
            .Where(x => x.Loan is not null)
            .ToList();
        if (payments.Count > 0 && payments.Sum(p => p.Txn.Amount) >= amount - CollectionLines.AmountTolerance)
        {
            return new(PtpState.Kept, [.. payments.Select(p => string.Create(inv,
                $"statement {p.Account.MaskedAccNumber}: payment to {p.Loan!.LoanId} ₹{p.Txn.Amount:0.00} on {p.Txn.Date:yyyy-MM-dd} ({p.Txn.TxnId})")),
                string.Create(inv, $"₹{payments.Sum(p => p.Txn.Amount):0.00} paid within {span} ≥ promised ₹{amount:0.00}")]);
        }

        var reasons = new List<string>
        {
            string.Create(inv, $"no payment of ≥ ₹{amount:0.00} to the loan within {span} in the book or the statement"),
        };
        var lastData = accounts.Count == 0 ? (DateOnly?)null : accounts.Max(a => a.Transactions.Count == 0 ? a.EndDate : a.Transactions[^1].Date);
        if (lastData is { } last && last < ptpDate)
        {
            reasons.Add($"bank data ends {last:yyyy-MM-dd}, before the PTP date: the statement cannot confirm a payment yet");
        }
        var credit = accounts.SelectMany(a => a.Transactions)
            .FirstOrDefault(t => t.Type == TxnType.Credit && t.Date >= contactDate && t.Date <= ptpDate && t.Amount >= amount);
        if (credit is not null)
        {
            reasons.Add(string.Create(inv, $"funds arrived: credit ₹{credit.Amount:0.00} on {credit.Date:yyyy-MM-dd} ({credit.TxnId}), not yet paid over"));
        }
        if (ptpDate < today)
        {
            reasons.Insert(0, $"PTP date {ptpDate:yyyy-MM-dd} has passed ({today.DayNumber - ptpDate.DayNumber} days before {today:yyyy-MM-dd})");
            return new(PtpState.Broken, reasons);
        }
        reasons.Insert(0, $"PTP date {ptpDate:yyyy-MM-dd} is {ptpDate.DayNumber - today.DayNumber} days away");
        return new(PtpState.Open, reasons);
    }
}
