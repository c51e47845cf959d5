namespace Msme.Domain.DemoData;

/// <summary>A simulated loan while the statement is being written: its schedule and what each instalment has seen.</summary>
internal sealed class LoanState
{
    public required string LoanId { get; init; }
    public required string Lender { get; init; }
    public required string LenderVpa { get; init; }
    public required string Product { get; init; }
    public required decimal Principal { get; init; }
    public required decimal Rate { get; init; }
    public required decimal Emi { get; init; }
    public required int DueDay { get; init; }
    public required int Tenure { get; init; }
    public required DateOnly Start { get; init; }
    public required MandateType Mandate { get; init; }
    public string? MandateRef { get; init; }
    /// <summary>The account the EMIs are collected from; -1 for an account the AA data does not cover.</summary>
    public required int Account { get; set; }
    public required DateOnly[] Due { get; init; }
    /// <summary>When the lender presents (mandate) or the customer first tries to pay (no mandate).</summary>
    public required DateOnly[] Action { get; init; }
    public required decimal[] Paid { get; init; }
    public required List<DemoAttempt>[] Attempts { get; init; }
    /// <summary>Per instalment, the index of a returned presentment still waiting for its charge; -1 when none.</summary>
    public required int[] AwaitingCharge { get; init; }

    /// <summary>Reducing-balance EMI, rounded up to the rupee as lenders do.</summary>
    public static decimal Annuity(decimal principal, decimal annualRatePercent, int months)
    {
        var r = annualRatePercent / 1200m;
        var pow = 1m;
        for (var i = 0; i < months; i++) pow *= 1 + r;
        return Math.Ceiling(principal * r * pow / (pow - 1));
    }

    /// <summary>Principal that an EMI of <paramref name="emi"/> repays (the inverse of <see cref="Annuity"/>).</summary>
    public static decimal PrincipalFor(decimal emi, decimal annualRatePercent, int months)
    {
        var r = annualRatePercent / 1200m;
        var pow = 1m;
        for (var i = 0; i < months; i++) pow *= 1 + r;
        return emi * (pow - 1) / (r * pow);
    }

    public DemoLoan ToRecord(DateOnly windowStart, DateOnly windowEnd, string masked, string linkRef)
    {
        var instalments = new DemoInstalment[Due.Length];
        for (var i = 0; i < Due.Length; i++)
        {
            DateOnly? presented = Mandate != MandateType.None && Action[i] <= windowEnd ? Action[i] : null;
            var outcome = Outcome(i, windowStart, windowEnd);
            var paid = Due[i] < windowStart ? Emi : Paid[i];
            instalments[i] = new DemoInstalment(i + 1, Due[i], presented, Emi, outcome, paid, Attempts[i].ToArray());
        }
        return new DemoLoan
        {
            LoanId = LoanId,
            Lender = Lender,
            Product = Product,
            SanctionedAmount = Principal,
            InterestRate = Rate,
            Emi = Emi,
            DueDay = DueDay,
            TenureMonths = Tenure,
            StartDate = Start,
            Mandate = Mandate,
            MandateRef = MandateRef,
            MaskedAccNumber = masked,
            LinkRefNumber = linkRef,
            Instalments = instalments,
        };
    }

    private InstalmentOutcome Outcome(int i, DateOnly windowStart, DateOnly windowEnd)
    {
        // Before the window the lender's book knows the EMI was paid; the statement cannot show it.
        if (Due[i] < windowStart) return InstalmentOutcome.Paid;
        if (Paid[i] >= Emi) return InstalmentOutcome.Paid;
        if (Paid[i] > 0) return InstalmentOutcome.Partial;
        foreach (var a in Attempts[i]) if (a.Bounced) return InstalmentOutcome.Bounced;
        if (Action[i] > windowEnd) return InstalmentOutcome.Pending;
        return Mandate == MandateType.None ? InstalmentOutcome.Missed : InstalmentOutcome.Pending;
    }
}
