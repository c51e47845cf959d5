using System.Globalization;

namespace Msme.Domain.Collections;

/// <summary>How one loan (or a customer's loans together) has been collected up to a day.</summary>
/// <param name="LoanId">The loan; "all loans" on the customer's total.</param>
/// <param name="InstalmentsDue">Instalments due before the as-of day.</param>
/// <param name="Presentments">Mandate presentments (first presentations and re-presentations) dated before the as-of day.</param>
/// <param name="Bounces">Those presentments returned unpaid.</param>
/// <param name="OnTime">Instalments due that were paid in full by their due date.</param>
/// <param name="OnTimeRate">OnTime / InstalmentsDue; null when nothing was due yet.</param>
/// <param name="Due">Rupees due before the as-of day.</param>
/// <param name="Collected">Rupees the book records as paid on those instalments.</param>
/// <param name="Overdue">Rupees unpaid on instalments due before the as-of day (as <see cref="Delinquency"/> counts them).</param>
/// <param name="BankDebited">Rupees the statement shows debited for the loan's instalments; null without a statement.</param>
/// <param name="Disagreements">Instalments on which the book and the statement disagree; null without a statement.</param>
public sealed record LoanCollectionSummary(
    string LoanId, int InstalmentsDue, int Presentments, int Bounces, int OnTime, decimal? OnTimeRate,
    decimal Due, decimal Collected, decimal Overdue, decimal? BankDebited, int? Disagreements, IReadOnlyList<string> Reasons)
{
    /// <summary>Bounces / presentments; null without a presentment.</summary>
    public decimal? BounceRate => Presentments == 0 ? null : Math.Round((decimal)Bounces / Presentments, 4);
}

/// <summary>A customer's collection record: one line per loan and the total.</summary>
public sealed record CollectionSummary(DateOnly AsOf, IReadOnlyList<LoanCollectionSummary> Loans, LoanCollectionSummary Total);

/// <summary>
/// The collection summary of a customer's loans from the lender's book and, where the repayment account's statement
/// is held, its reconciliation with the bank (<see cref="LoanReconciler"/>). Money is decimal throughout; each line's
/// reasons quote the figures it was built from.
/// </summary>
public static class CollectionSummaries
{
    public const string AllLoans = "all loans";

    public static CollectionSummary Build(IReadOnlyList<(Loan Loan, ReconciliationResult? Reconciliation)> loans, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(loans);
        var lines = loans.Select(l => ForLoan(l.Loan, l.Reconciliation, asOf)).ToList();
        return new CollectionSummary(asOf, lines, Total(lines));
    }

    public static LoanCollectionSummary ForLoan(Loan loan, ReconciliationResult? reconciliation, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var inv = CultureInfo.InvariantCulture;
        var due = loan.Instalments.Where(i => i.DueDate < asOf).ToList();
        var presentments = due.SelectMany(Presentments).Where(p => p.Date < asOf).ToList();
        var bounces = presentments.Count(p => p.Bounced);
        var onTime = due.Count(i => i.PaidOn is { } paid && paid <= i.DueDate);
        var dueAmount = due.Sum(i => i.Amount);
        var collected = due.Sum(i => i.PaidAmount);
        var overdue = Delinquency.Compute(loan, asOf).Overdue;
        decimal? rate = due.Count == 0 ? null : Math.Round((decimal)onTime / due.Count, 4);
        var reasons = new List<string>
        {
            string.Create(inv, $"{due.Count} instalment(s) due before {asOf:yyyy-MM-dd}, ₹{dueAmount:0.00}; the book records ₹{collected:0.00} paid, ₹{overdue:0.00} overdue"),
            string.Create(inv, $"{presentments.Count} presentment(s), {bounces} returned"),
            due.Count == 0 ? "nothing due yet: no on-time rate"
                : string.Create(inv, $"{onTime} of {due.Count} paid in full by the due date ({rate:P0})"),
        };
        decimal? debited = null;
        int? disagreements = null;
        if (reconciliation is not null)
        {
            var inStatement = reconciliation.Instalments.Where(r => r.DueDate < asOf && r.Status != ReconciliationStatus.OutsideStatement).ToList();
            debited = inStatement.Sum(r => r.BankDebited);
            disagreements = inStatement.Count(r => r.Status != ReconciliationStatus.Agrees);
            reasons.Add(string.Create(inv, $"statement {reconciliation.MaskedAccNumber}: ₹{debited:0.00} debited for the {inStatement.Count} due instalment(s) it covers, {disagreements} disagreement(s) with the book"));
        }
        else
        {
            reasons.Add("no statement for the repayment account: the book's figures only");
        }
        return new(loan.LoanId, due.Count, presentments.Count, bounces, onTime, rate, dueAmount, collected, overdue, debited, disagreements, reasons);
    }

    /// <summary>The mandate presentments of an instalment: the book's listed attempts, or its first presentment when it lists none.</summary>
    private static IEnumerable<(DateOnly Date, bool Bounced)> Presentments(LoanInstalment i)
    {
        if (i.Attempts.Count > 0) return i.Attempts.Where(a => a.Presentment).Select(a => (a.Date, a.Bounced));
        return i.PresentedDate is { } d && i.FirstPresentmentBounced is { } bounced ? [(d, bounced)] : [];
    }

    private static LoanCollectionSummary Total(IReadOnlyList<LoanCollectionSummary> lines)
    {
        var due = lines.Sum(l => l.InstalmentsDue);
        var onTime = lines.Sum(l => l.OnTime);
        var withStatement = lines.Where(l => l.BankDebited is not null).ToList();
        var inv = CultureInfo.InvariantCulture;
        return new(AllLoans, due, lines.Sum(l => l.Presentments), lines.Sum(l => l.Bounces), onTime,
            due == 0 ? null : Math.Round((decimal)onTime / due, 4),
            lines.Sum(l => l.Due), lines.Sum(l => l.Collected), lines.Sum(l => l.Overdue),
            withStatement.Count == 0 ? null : withStatement.Sum(l => l.BankDebited!.Value),
            withStatement.Count == 0 ? null : withStatement.Sum(l => l.Disagreements!.Value),
            [string.Create(inv, $"{lines.Count} loan(s); statement figures over the {withStatement.Count} with a statement")]);
    }
}
