using System.Globalization;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>Loans of one DPD bucket on a date, with what they still owe and what is past due.</summary>
/// <param name="Outstanding">Σ of the loans' instalments not paid by the date (the due ones and those still to come), EMI terms.</param>
/// <param name="Overdue">Σ of the instalments due before the date and unpaid by it (<see cref="DelinquencyStatus.Overdue"/>).</param>
public sealed record DpdBucketTotal(DpdBucket Bucket, int Loans, decimal Outstanding, decimal Overdue);

/// <summary>The portfolio by DPD bucket on a date: every bucket the domain defines, empty ones included.</summary>
public sealed record DpdDistribution(DateOnly AsOf, IReadOnlyList<DpdBucketTotal> Buckets, int LoansOffBook, Explanation Explanation)
{
    public int Loans => Buckets.Sum(b => b.Loans);
    public decimal Outstanding => Buckets.Sum(b => b.Outstanding);
    public decimal Overdue => Buckets.Sum(b => b.Overdue);

    public static DpdDistribution Build(IEnumerable<Loan> loans, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(loans);
        var sums = Enum.GetValues<DpdBucket>().ToDictionary(b => b, _ => (Loans: 0, Outstanding: 0m, Overdue: 0m));
        var off = 0;
        foreach (var loan in loans)
        {
            if (!LoanBookFigures.OnBook(loan, asOf))
            {
                off++;
                continue;
            }
            var status = Delinquency.Compute(loan, asOf);
            var s = sums[status.Bucket];
            sums[status.Bucket] = (s.Loans + 1, s.Outstanding + LoanBookFigures.Outstanding(loan, asOf), s.Overdue + status.Overdue);
        }
        var buckets = sums.Select(kv => new DpdBucketTotal(kv.Key, kv.Value.Loans, Rounding.Money(kv.Value.Outstanding), Rounding.Money(kv.Value.Overdue))).ToList();
        var n = buckets.Sum(b => b.Loans);
        var inv = CultureInfo.InvariantCulture;
        var why = new Explanation("dpdDistribution",
            "per bucket of Delinquency.Compute(loan, asOf): count of loans; Σ outstanding = Σ instalments not paid by asOf (Amount − PaidAmount for PARTIAL); Σ overdue = Σ those due before asOf",
            [new("as of", asOf.ToString("yyyy-MM-dd", inv)), new("loans on the book", n.ToString(inv)),
             new("loans left out (not started or fully paid by then)", off.ToString(inv))],
            "DPD counts from the oldest instalment due before the date and not fully paid by it (buckets 0, 1-30, 31-60, 61-90, 90+). " +
            "Outstanding is in EMI terms (principal and interest of the scheduled instalments the book lists), not principal: the book carries no interest rate.",
            n.ToString(inv));
        return new(asOf, buckets, off, why);
    }
}

/// <summary>How many loans moved from one bucket at a month end to another at the next.</summary>
public sealed record BucketTransition(DpdBucket From, DpdBucket To, int Loans, decimal Outstanding);

/// <summary>One bucket's loans at a month end and where they were at the next.</summary>
/// <param name="RolledForward">Loans in a worse bucket at the next month end.</param>
/// <param name="Cured">Loans in a better bucket at the next month end.</param>
public sealed record BucketRoll(DpdBucket From, int Loans, int RolledForward, int Stayed, int Cured)
{
    /// <summary>RolledForward / Loans (6 places); null without loans, and for 90+, which has no worse bucket.</summary>
    public decimal? RollRate => Loans == 0 || From == DpdBucket.Dpd90Plus ? null : Rounding.Ratio(RolledForward / (decimal)Loans);

    /// <summary>Cured / Loans (6 places); null without loans, and for Current, which has no better bucket.</summary>
    public decimal? CureRate => Loans == 0 || From == DpdBucket.Current ? null : Rounding.Ratio(Cured / (decimal)Loans);
}

/// <summary>The rolls from the previous month end to <paramref name="MonthEnd"/>, one per bucket.</summary>
public sealed record MonthRolls(DateOnly MonthEnd, IReadOnlyList<BucketRoll> Buckets);

/// <summary>Month-over-month movement between DPD buckets: the from→to matrix of the latest month and the roll rates of the last months.</summary>
/// <param name="Matrix">Every (from, to) pair of the latest month, 25 cells, zeros included.</param>
public sealed record RollRates(DateOnly LatestMonthEnd, IReadOnlyList<BucketTransition> Matrix, IReadOnlyList<MonthRolls> Months, Explanation Explanation)
{
    /// <summary>
    /// For each of the <paramref name="months"/> month ends before <paramref name="asOf"/>'s month, compares every loan on
    /// the book at the previous month end with its bucket at that month end.
    /// </summary>
    public static RollRates Build(IEnumerable<Loan> loans, DateOnly asOf, int months = 6)
    {
        ArgumentNullException.ThrowIfNull(loans);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var book = loans.ToList();
        var latest = new DateOnly(asOf.Year, asOf.Month, 1).AddDays(-1);
        var result = new List<MonthRolls>();
        IReadOnlyList<BucketTransition> matrix = [];
        for (var k = months - 1; k >= 0; k--)
        {
            var end = MonthEnd(latest, -k);
            var previous = MonthEnd(latest, -k - 1);
            var cells = new Dictionary<(DpdBucket, DpdBucket), (int Loans, decimal Outstanding)>();
            foreach (var loan in book)
            {
                if (!LoanBookFigures.OnBook(loan, previous)) continue;
                var key = (Delinquency.Compute(loan, previous).Bucket, Delinquency.Compute(loan, end).Bucket);
                cells.TryGetValue(key, out var c);
                cells[key] = (c.Loans + 1, c.Outstanding + LoanBookFigures.Outstanding(loan, previous));
            }
            var buckets = Enum.GetValues<DpdBucket>();
            result.Add(new MonthRolls(end, [.. buckets.Select(from =>
            {
                int Count(Func<DpdBucket, bool> to) => buckets.Where(to).Sum(t => cells.GetValueOrDefault((from, t)).Loans);
                return new BucketRoll(from, Count(_ => true), Count(t => t > from), Count(t => t == from), Count(t => t < from));
            })]));
            if (k == 0)
            {
                matrix = [.. buckets.SelectMany(from => buckets.Select(to =>
                    new BucketTransition(from, to, cells.GetValueOrDefault((from, to)).Loans, Rounding.Money(cells.GetValueOrDefault((from, to)).Outstanding))))];
            }
        }
        var inv = CultureInfo.InvariantCulture;
        var counted = matrix.Sum(c => c.Loans);
        var why = new Explanation("rollRates",
            "roll rate(b, m) = loans in bucket b at the month end before m that are in a worse bucket at m's end ÷ loans in b then; cure rate = those in a better bucket ÷ loans in b",
            [new("latest month end", latest.ToString("yyyy-MM-dd", inv)), new("months", months.ToString(inv)),
             new("loans in the latest month's matrix", counted.ToString(inv))],
            "Buckets come from Delinquency.Compute at each month end, with only the payments the book dates on or before it. " +
            "A loan counts from the first month end after its start until it is fully paid; 90+ cannot roll forward, Current cannot cure.",
            counted.ToString(inv));
        return new(latest, matrix, result, why);
    }

    private static DateOnly MonthEnd(DateOnly monthEnd, int offset)
    {
        var first = new DateOnly(monthEnd.Year, monthEnd.Month, 1).AddMonths(offset);
        return first.AddMonths(1).AddDays(-1);
    }
}

/// <summary>One month of collection efficiency: the instalments due in it whose collection the AA statement shows.</summary>
/// <param name="Collected">Σ min(debited against the instalment, its amount): a catch-up of older arrears does not count here.</param>
/// <param name="PaidInFull">Instalments whose debits reach their amount (₹1 tolerance).</param>
public sealed record EfficiencyMonth(CalendarMonth Month, int Instalments, int PaidInFull, decimal Due, decimal Collected)
{
    /// <summary>Collected ÷ due (6 places); null when nothing was due.</summary>
    public decimal? AmountEfficiency => Due == 0 ? null : Rounding.Ratio(Collected / Due);

    /// <summary>PaidInFull ÷ instalments (6 places); null without instalments.</summary>
    public decimal? CountEfficiency => Instalments == 0 ? null : Rounding.Ratio(PaidInFull / (decimal)Instalments);
}

/// <summary>Collection efficiency by month of the due date, from the statements (not the book's outcome).</summary>
/// <param name="Unobserved">Instalments due before asOf left out because the statement ends inside their debit window or before it.</param>
/// <param name="LoansWithoutAccount">Loans left out because no AA account of theirs was received.</param>
public sealed record CollectionEfficiency(IReadOnlyList<EfficiencyMonth> Months, int Unobserved, int LoansWithoutAccount, Explanation Explanation)
{
    /// <summary>
    /// Reconciles every loan with its collection account (<see cref="LoanReconciler"/>) and sums, per month of the due
    /// date, the instalments due before <paramref name="asOf"/> whose whole debit window (presented or due date ± 3 days)
    /// lies inside the statement. The last <paramref name="months"/> such months are kept.
    /// </summary>
    public static CollectionEfficiency Build(IEnumerable<(Loan Loan, DepositAccount? Account)> loans, DateOnly asOf, int months = 12)
    {
        ArgumentNullException.ThrowIfNull(loans);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var sums = new SortedDictionary<CalendarMonth, (int N, int Paid, decimal Due, decimal Collected)>();
        int unobserved = 0, withoutAccount = 0;
        foreach (var (loan, account) in loans)
        {
            if (account is null)
            {
                withoutAccount++;
                continue;
            }
            var first = StatementStart(account);
            var last = StatementEnd(account);
            var byNumber = loan.Instalments.ToDictionary(i => i.Number);
            foreach (var r in LoanReconciler.Reconcile(loan, account).Instalments)
            {
                var i = byNumber[r.Number];
                if (i.DueDate >= asOf) continue;
                var anchor = i.PresentedDate ?? i.DueDate;
                // The statement must show the whole window: otherwise neither a collection nor its absence can be seen.
                if (first is null || last is null || anchor.AddDays(-LoanReconciler.DebitWindowDays) < first) continue;
                if (anchor.AddDays(LoanReconciler.DebitWindowDays) > last)
                {
                    unobserved++;
                    continue;
                }
                var month = CalendarMonth.Of(i.DueDate);
                sums.TryGetValue(month, out var s);
                var paid = r.BankDebited >= i.Amount - CollectionLines.AmountTolerance;
                sums[month] = (s.N + 1, s.Paid + (paid ? 1 : 0), s.Due + i.Amount, s.Collected + Math.Min(r.BankDebited, i.Amount));
            }
        }
        var kept = sums.Skip(Math.Max(0, sums.Count - months))
            .Select(kv => new EfficiencyMonth(kv.Key, kv.Value.N, kv.Value.Paid, Rounding.Money(kv.Value.Due), Rounding.Money(kv.Value.Collected))).ToList();
        var inv = CultureInfo.InvariantCulture;
        var why = new Explanation("collectionEfficiency",
            "per month of the due date: Σ min(statement debits matched to the instalment, its amount) ÷ Σ instalment amounts; count: instalments debited in full (±₹1) ÷ instalments",
            [new("as of", asOf.ToString("yyyy-MM-dd", inv)), new("months", kept.Count.ToString(inv)),
             new("instalments counted", kept.Sum(m => m.Instalments).ToString(inv)),
             new("instalments due whose debit window runs past the statement's end (left out)", unobserved.ToString(inv)),
             new("loans without a received AA account (left out)", withoutAccount.ToString(inv))],
            "Collected is what the AA statement shows, matched to each instalment by LoanReconciler (the book's txnIds, else the lender's narration and the EMI " +
            "within 3 days of the presentment or any attempt), not what the book says. An instalment counts once the statement covers its whole window; those before the statement starts are out of scope.",
            kept.Count.ToString(inv));
        return new(kept, unobserved, withoutAccount, why);
    }

    private static DateOnly? StatementStart(DepositAccount account)
    {
        DateOnly? first = account.Transactions.Count == 0 ? null : account.Transactions.Min(t => t.Date);
        return account.StartDate is { } s && (first is null || s > first) ? s : first;
    }

    private static DateOnly? StatementEnd(DepositAccount account)
    {
        DateOnly? last = account.Transactions.Count == 0 ? null : account.Transactions.Max(t => t.Date);
        return account.EndDate is { } e && (last is null || e < last) ? e : last;
    }
}

/// <summary>The loan book's portfolio figures for the risk dashboard, all as of one date.</summary>
public sealed record LoanBookFigures(DateOnly AsOf, int Loans, DpdDistribution Dpd, RollRates Rolls, CollectionEfficiency Efficiency)
{
    public static LoanBookFigures Build(IReadOnlyList<(Loan Loan, DepositAccount? Account)> loans, DateOnly asOf, int rollMonths = 6, int efficiencyMonths = 12)
    {
        ArgumentNullException.ThrowIfNull(loans);
        var book = loans.Select(l => l.Loan).ToList();
        return new(asOf, book.Count, DpdDistribution.Build(book, asOf), RollRates.Build(book, asOf, rollMonths), CollectionEfficiency.Build(loans, asOf, efficiencyMonths));
    }

    /// <summary>On the book at a date: started by then and not yet fully paid (an instalment still to come or unpaid).</summary>
    public static bool OnBook(Loan loan, DateOnly date) =>
        loan.StartDate <= date && (loan.Instalments.Count == 0 || loan.Instalments.Any(i => i.DueDate > date || Unpaid(i, date) > 0));

    /// <summary>What the loan still owes on its listed schedule at the end of a date.</summary>
    public static decimal Outstanding(Loan loan, DateOnly date) => loan.Instalments.Sum(i => Unpaid(i, date));

    /// <summary>
    /// An instalment's unpaid amount at a date, as Delinquency counts it: 0 once paid in full on or before the date,
    /// Amount − PaidAmount for PARTIAL, else the amount.
    /// </summary>
    internal static decimal Unpaid(LoanInstalment i, DateOnly date) =>
        i.PaidOn is { } paid && paid <= date ? 0m : i.Outcome == InstalmentOutcome.Partial ? i.Amount - i.PaidAmount : i.Amount;
}
