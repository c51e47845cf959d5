using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>
/// Recognises a loan's own lines in a bank statement without the narration classifier: the EMI debits its mandate
/// (or the customer) made and the bank's bounce charges for its returns. Documented in docs/smart-collect-model.md.
/// </summary>
/// <remarks>
/// EMI debit: a DEBIT whose amount is the EMI ±₹1 and whose narration is a mandate line (ACH/, NACH, ECS, AUTOPAY) or
/// names the loan (loan id, lender name or mandate reference). When the loan names itself (lender or mandate
/// reference known), a mandate line must also name it, so another lender's NACH debit of the same amount is not taken.
/// Bounce charge: a DEBIT of at most ₹2,000 whose narration says RTN, RETURN, BOUNCE or INSUFFICIENT and names the loan
/// (or, for a loan that names nothing, is a mandate line). A txnId that the book's attempts name wins over both rules.
/// </remarks>
public static class CollectionLines
{
    /// <summary>Largest amount a bounce charge line may have (banks charge ₹295-₹750 incl. GST).</summary>
    public const decimal MaxBounceCharge = 2000m;

    public const decimal AmountTolerance = 1m;

    public static bool IsMandateNarration(string? narration) =>
        narration is not null
        && (narration.Contains("NACH", StringComparison.OrdinalIgnoreCase)
            || narration.StartsWith("ACH", StringComparison.OrdinalIgnoreCase)
            || narration.Contains("/ACH/", StringComparison.OrdinalIgnoreCase)
            || narration.Contains("ECS", StringComparison.OrdinalIgnoreCase)
            || narration.Contains("AUTOPAY", StringComparison.OrdinalIgnoreCase));

    public static bool IsReturnNarration(string? narration) =>
        narration is not null
        && (narration.Contains("RTN", StringComparison.OrdinalIgnoreCase)
            || narration.Contains("RETURN", StringComparison.OrdinalIgnoreCase)
            || narration.Contains("BOUNCE", StringComparison.OrdinalIgnoreCase)
            || narration.Contains("INSUFFICIENT", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the narration names this loan: its mandate reference, its id or its lender.</summary>
    public static bool NamesLoan(Loan loan, string? narration) =>
        narration is not null
        && ((loan.MandateRef is { Length: > 0 } r && narration.Contains(r, StringComparison.OrdinalIgnoreCase))
            || narration.Contains(loan.LoanId, StringComparison.OrdinalIgnoreCase)
            || (loan.Lender is { Length: > 0 } l && narration.Contains(l, StringComparison.OrdinalIgnoreCase)));

    private static bool LoanNamesItself(Loan loan) => loan.MandateRef is { Length: > 0 } || loan.Lender is { Length: > 0 };

    public static bool IsEmiDebit(Loan loan, Transaction t, decimal amount)
    {
        if (t.Type != TxnType.Debit || Math.Abs(t.Amount - amount) > AmountTolerance) return false;
        if (IsReturnNarration(t.Narration)) return false;
        if (NamesLoan(loan, t.Narration)) return true;
        return !LoanNamesItself(loan) && IsMandateNarration(t.Narration);
    }

    /// <summary>A payment the customer made by hand towards this loan (IMPS/UPI naming the loan id), any amount.</summary>
    public static bool IsManualPayment(Loan loan, Transaction t) =>
        t.Type == TxnType.Debit && t.Narration is not null && !IsReturnNarration(t.Narration)
        && t.Narration.Contains(loan.LoanId, StringComparison.Ordinal);

    public static bool IsBounceCharge(Loan loan, Transaction t)
    {
        if (t.Type != TxnType.Debit || t.Amount > MaxBounceCharge || !IsReturnNarration(t.Narration)) return false;
        if (NamesLoan(loan, t.Narration)) return true;
        return !LoanNamesItself(loan) && IsMandateNarration(t.Narration);
    }

    /// <summary>
    /// The loan's own collection lines (EMI debits, manual payments, bounce charges) with their dates, in statement order.
    /// The forecaster adds these back to the balance history: presenting on another day would not have found them taken.
    /// </summary>
    public static List<Transaction> OwnLines(Loan loan, DepositAccount account)
    {
        HashSet<string>? named = null;
        foreach (var i in loan.Instalments)
        foreach (var a in i.Attempts)
        {
            if (a.TxnId is not null) (named ??= new(StringComparer.Ordinal)).Add(a.TxnId);
            if (a.ChargeTxnId is not null) (named ??= new(StringComparer.Ordinal)).Add(a.ChargeTxnId);
        }
        var result = new List<Transaction>();
        var debits = DebitIndex.Of(account);
        for (var k = 0; k < debits.Lines.Length; k++)
        {
            var t = debits.Lines[k];
            var flags = debits.Flags[k];
            if ((named is not null && named.Contains(t.TxnId))
                || (Math.Abs(t.Amount - loan.Emi) <= AmountTolerance && IsEmiDebit(loan, t, loan.Emi))
                || ((flags & DebitIndex.Return) != 0 && t.Amount <= MaxBounceCharge && IsBounceCharge(loan, t))
                || (t.Amount <= loan.Emi + AmountTolerance && (flags & DebitIndex.Return) == 0 && t.Narration is not null
                    && t.Narration.Contains(loan.LoanId, StringComparison.Ordinal)))
                result.Add(t);
        }
        return result;
    }

    /// <summary>
    /// An account's debits with their narration kinds worked out once: every loan on the account reads the same index
    /// (memoised per account instance, which is immutable).
    /// </summary>
    private sealed class DebitIndex
    {
        public const byte Return = 1;
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DepositAccount, DebitIndex> Cache = new();

        public required Transaction[] Lines { get; init; }
        public required byte[] Flags { get; init; }

        public static DebitIndex Of(DepositAccount account) => Cache.GetValue(account, a =>
        {
            var lines = a.Transactions.Where(t => t.Type == TxnType.Debit).ToArray();
            return new DebitIndex { Lines = lines, Flags = [.. lines.Select(t => IsReturnNarration(t.Narration) ? Return : (byte)0)] };
        });
    }
}
