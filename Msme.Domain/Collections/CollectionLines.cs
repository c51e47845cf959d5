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
        if (loan.LoanId.Length == 0 || loan.LoanId.Contains(DebitIndex.Separator)) return OwnLinesByScan(loan, account);
        var debits = DebitIndex.Of(account);
        // The same four rules as the scan, but each reads only its candidates from the account's index (every loan on
        // an account shares it): the named txnIds, the debits within ₹1 of the EMI, the small return lines, and the
        // lines whose narration holds the loan id (one ordinal search over all narrations instead of one per line).
        var hits = new List<int>();
        foreach (var i in loan.Instalments)
        foreach (var a in i.Attempts)
        {
            if (a.TxnId is not null && debits.ByTxnId.TryGetValue(a.TxnId, out var named)) hits.AddRange(named);
            if (a.ChargeTxnId is not null && debits.ByTxnId.TryGetValue(a.ChargeTxnId, out var charge)) hits.AddRange(charge);
        }
        for (var j = debits.FirstAtLeast(loan.Emi - AmountTolerance); j < debits.ByAmount.Length; j++)
        {
            var k = debits.ByAmount[j];
            var t = debits.Lines[k];
            if (t.Amount - loan.Emi > AmountTolerance) break;
            if (IsEmiDebit(loan, t, loan.Emi)) hits.Add(k);
        }
        foreach (var k in debits.SmallReturns)
            if (IsBounceCharge(loan, debits.Lines[k])) hits.Add(k);
        var text = debits.Narrations;
        for (var at = text.IndexOf(loan.LoanId, StringComparison.Ordinal); at >= 0; )
        {
            var k = debits.LineAt(at);
            var t = debits.Lines[k];
            if (t.Amount <= loan.Emi + AmountTolerance && (debits.Flags[k] & DebitIndex.Return) == 0) hits.Add(k);
            var next = k + 1 < debits.Starts.Length ? debits.Starts[k + 1] : text.Length;
            at = next >= text.Length ? -1 : text.IndexOf(loan.LoanId, next, StringComparison.Ordinal);
        }
        hits.Sort();
        var result = new List<Transaction>(hits.Count);
        for (var h = 0; h < hits.Count; h++)
            if (h == 0 || hits[h] != hits[h - 1]) result.Add(debits.Lines[hits[h]]);
        return result;
    }

    /// <summary>The rules of <see cref="OwnLines"/> applied line by line: the reference the indexed form must equal.</summary>
    internal static List<Transaction> OwnLinesByScan(Loan loan, DepositAccount account)
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

        /// <summary>Stands between two narrations in <see cref="Narrations"/>; a loan id holding it is searched line by line.</summary>
        public const char Separator = '\0';

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DepositAccount, DebitIndex> Cache = new();

        public required Transaction[] Lines { get; init; }
        public required byte[] Flags { get; init; }

        /// <summary>Line indexes ordered by amount (then by index).</summary>
        public required int[] ByAmount { get; init; }

        /// <summary>Return lines of at most <see cref="MaxBounceCharge"/>, in statement order.</summary>
        public required int[] SmallReturns { get; init; }

        public required Dictionary<string, List<int>> ByTxnId { get; init; }

        /// <summary>Every line's narration (empty when it has none), joined by <see cref="Separator"/>.</summary>
        public required string Narrations { get; init; }

        /// <summary>Where each line's narration starts in <see cref="Narrations"/>.</summary>
        public required int[] Starts { get; init; }

        public int FirstAtLeast(decimal amount)
        {
            int lo = 0, hi = ByAmount.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Lines[ByAmount[mid]].Amount < amount) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        public int LineAt(int offset)
        {
            var k = Array.BinarySearch(Starts, offset);
            return k >= 0 ? k : ~k - 1;
        }

        public static DebitIndex Of(DepositAccount account) => Cache.GetValue(account, a =>
        {
            var lines = a.Transactions.Where(t => t.Type == TxnType.Debit).ToArray();
            var flags = lines.Select(t => IsReturnNarration(t.Narration) ? Return : (byte)0).ToArray();
            var byTxnId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var starts = new int[lines.Length];
            var text = new System.Text.StringBuilder();
            for (var k = 0; k < lines.Length; k++)
            {
                if (lines[k].TxnId is { } id)
                {
                    if (!byTxnId.TryGetValue(id, out var list)) byTxnId[id] = list = [];
                    list.Add(k);
                }
                if (k > 0) text.Append(Separator);
                starts[k] = text.Length;
                text.Append(lines[k].Narration);
            }
            return new DebitIndex
            {
                Lines = lines,
                Flags = flags,
                ByAmount = [.. Enumerable.Range(0, lines.Length).OrderBy(k => lines[k].Amount).ThenBy(k => k)],
                SmallReturns = [.. Enumerable.Range(0, lines.Length).Where(k => (flags[k] & Return) != 0 && lines[k].Amount <= MaxBounceCharge)],
                ByTxnId = byTxnId,
                Narrations = text.ToString(),
                Starts = starts,
            };
        });
    }
}
