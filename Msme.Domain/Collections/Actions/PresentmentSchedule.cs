using System.Globalization;

namespace Msme.Domain.Collections.Actions;

/// <summary>One unpaid instalment the schedule may present, with what the forecast says about it.</summary>
/// <param name="UtilityCode">The lender's NACH utility code the mandate was registered under.</param>
/// <param name="DueDateProbability">Success probability on the due date; null when no statement covers the account.</param>
/// <param name="Window">The recommended window (forecaster's best allowed run of days); null when none is left.</param>
/// <param name="CureProbability">For an overdue instalment, the probability at its next allowed presentment.</param>
/// <param name="BalanceConfirmedOn">Latest day an agent logged that the customer confirmed the balance (a promise to pay, a payment or a reach), if any.</param>
public sealed record PresentmentCandidate(
    Loan Loan, LoanInstalment Instalment, string CustomerName, string UtilityCode,
    double? DueDateProbability, PresentmentWindow? Window, double? CureProbability, DateOnly? BalanceConfirmedOn);

/// <summary>One debit to present: which mandate, on which day, for how much, and why that day.</summary>
/// <param name="Sequence">1 for the first presentation, 2 and 3 for the two re-presentations NPCI allows.</param>
/// <param name="Probability">The model's success probability on <paramref name="Date"/>; null without a statement.</param>
public sealed record PresentmentLine(
    string UtilityCode, string LoanId, string MandateRef, Mandate Mandate, string CustomerName, string MaskedAccNumber,
    int Instalment, DateOnly DueDate, DateOnly Date, decimal Amount, int Sequence, double? Probability, string Reason)
{
    /// <summary>The debit's reference in the file: loan id and instalment, plus the presentation number for re-presentments.</summary>
    public string Reference => Sequence == 1
        ? string.Create(CultureInfo.InvariantCulture, $"{LoanId}/{Instalment}")
        : string.Create(CultureInfo.InvariantCulture, $"{LoanId}/{Instalment}/R{Sequence - 1}");
}

/// <summary>An instalment the schedule does not present in the period, and why (each reason quotes its dates).</summary>
public sealed record HeldInstalment(string UtilityCode, string LoanId, string CustomerName, int Instalment, DateOnly DueDate, decimal Amount, string Reason);

/// <summary>The presentments of one period: what goes into the file, what is held back, and the expected returns.</summary>
public sealed record PresentmentSchedule(DateOnly From, DateOnly To, IReadOnlyList<PresentmentLine> Lines, IReadOnlyList<HeldInstalment> Held)
{
    public decimal Total => Lines.Sum(l => l.Amount);

    /// <summary>Σ (1 − p) over the lines; a line without a probability counts as a return (its risk is unknown, not nil).</summary>
    public double ExpectedReturns => Lines.Sum(l => 1 - (l.Probability ?? 0));
}

/// <summary>
/// Builds the presentment schedule from the forecasts (docs/collection-actions.md §1). First presentations go on the
/// recommended window's first day when it gains at least <see cref="Recommender.MinShiftGain"/> over the due date
/// (the same rule the recommender uses), else on the due date. A returned instalment is re-presented per NPCI's NACH
/// guidance (circulars 2023-24/007, /012, /014): at most two re-presentations, each at least
/// <see cref="MinDaysAfterReturn"/> days after the return and only after the customer confirms the balance; after
/// that the mandate is not presented again (a UPI link or a call instead). NACH does not run on Sundays: a Sunday moves
/// to the Monday.
/// </summary>
public static class PresentmentScheduler
{
    public const int MaxRepresentations = 2;
    public const int MinDaysAfterReturn = 3;

    public static PresentmentSchedule Build(IEnumerable<PresentmentCandidate> candidates, DateOnly asOf, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (to < from) throw new ArgumentException($"the period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})", nameof(to));
        var lines = new List<PresentmentLine>();
        var held = new List<HeldInstalment>();
        foreach (var c in candidates)
        {
            var loan = c.Loan;
            var i = c.Instalment;
            if (i.Outcome == InstalmentOutcome.Paid) continue;
            var amount = i.Amount - i.PaidAmount;
            if (amount <= 0) continue;
            var decision = Decide(c, asOf);
            if (decision.Date < from || decision.Date > to) continue;
            if (loan.Mandate == Mandate.None)
                held.Add(Held(c, amount, "no mandate: the customer pays by hand (UPI link or cash deposit)"));
            else if (string.IsNullOrWhiteSpace(loan.MandateRef))
                held.Add(Held(c, amount, "the book gives no mandate reference (UMRN / UPI mandate id): nothing to present against"));
            else if (decision.HeldReason is { } why)
                held.Add(Held(c, amount, why));
            else
                lines.Add(new PresentmentLine(c.UtilityCode, loan.LoanId, loan.MandateRef!, loan.Mandate, c.CustomerName, loan.MaskedAccNumber,
                    i.Number, i.DueDate, decision.Date, amount, decision.Sequence, decision.Probability, decision.Reason));
        }
        return new PresentmentSchedule(from, to,
            [.. lines.OrderBy(l => l.Date).ThenBy(l => l.LoanId, StringComparer.Ordinal).ThenBy(l => l.Instalment)],
            [.. held.OrderBy(h => h.DueDate).ThenBy(h => h.LoanId, StringComparer.Ordinal).ThenBy(h => h.Instalment)]);
    }

    private sealed record Decision(DateOnly Date, int Sequence, double? Probability, string Reason, string? HeldReason = null);

    private static Decision Decide(PresentmentCandidate c, DateOnly asOf)
    {
        var i = c.Instalment;
        var presentations = i.Attempts.Count(a => a.Presentment);
        if (presentations == 0 && i.PresentedDate is not null) presentations = 1;
        if (presentations == 0)
        {
            if (i.DueDate < asOf)
                return new(WorkingDay(asOf), 1, c.CureProbability ?? c.DueDateProbability, $"due {i.DueDate:yyyy-MM-dd} and not presented yet: present on the first NACH day from {asOf:yyyy-MM-dd}");
            var p = c.DueDateProbability;
            if (c.Window is { } w && p is { } due && w.From != i.DueDate && w.From >= asOf && w.Probability - due >= Recommender.MinShiftGain)
                return new(WorkingDay(w.From), 1, w.Probability,
                    $"recommended window {w.From:yyyy-MM-dd}–{w.To:yyyy-MM-dd}: probability {P(w.Probability)} vs {P(due)} on the due date");
            return new(WorkingDay(i.DueDate), 1, p, p is null
                ? "no statement for the repayment account: presented on the due date"
                : $"due date: probability {P(p.Value)}{(c.Window is { } other ? $"; the window {other.From:yyyy-MM-dd} gains less than {P(Recommender.MinShiftGain)}" : "")}");
        }
        var lastReturn = i.Attempts.Where(a => a.Presentment && a.Bounced).Select(a => (DateOnly?)a.Date).Max() ?? i.PresentedDate!.Value;
        var earliest = lastReturn.AddDays(MinDaysAfterReturn);
        var date = WorkingDay(earliest > asOf ? earliest : asOf);
        if (presentations > MaxRepresentations)
            return new(date, presentations + 1, null, "", $"presented once and re-presented {presentations - 1} times (NPCI allows {MaxRepresentations} re-presentations): collect by UPI link or a call");
        var sequence = presentations + 1;
        if (c.BalanceConfirmedOn is not { } confirmed || confirmed < lastReturn)
            return new(date, sequence, null, "", $"returned on {lastReturn:yyyy-MM-dd}: re-presentment {sequence - 1} of {MaxRepresentations} waits for the customer to confirm the balance (log a promise to pay or a reach)");
        return new(date, sequence, c.CureProbability, string.Create(CultureInfo.InvariantCulture,
            $"re-presentment {sequence - 1} of {MaxRepresentations}: returned {lastReturn:yyyy-MM-dd}, at least {MinDaysAfterReturn} days later, balance confirmed {confirmed:yyyy-MM-dd}{(c.CureProbability is { } cp ? $"; probability {P(cp)}" : "")}"));
    }

    /// <summary>NACH presents Monday to Saturday: a Sunday moves to the Monday. (Bank holidays are the sponsor bank's to apply.)</summary>
    public static DateOnly WorkingDay(DateOnly d) => d.DayOfWeek == DayOfWeek.Sunday ? d.AddDays(1) : d;

    private static HeldInstalment Held(PresentmentCandidate c, decimal amount, string reason) =>
        new(c.UtilityCode, c.Loan.LoanId, c.CustomerName, c.Instalment.Number, c.Instalment.DueDate, amount, reason);

    private static string P(double p) => p.ToString("0.00", CultureInfo.InvariantCulture);
}
