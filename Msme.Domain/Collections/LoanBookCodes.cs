namespace Msme.Domain.Collections;

/// <summary>The loan book's spellings of mandates and outcomes (docs/loan-book-format.md).</summary>
public static class LoanBookCodes
{
    public static string Of(Mandate m) => m switch
    {
        Mandate.ENach => "E_NACH",
        Mandate.UpiAutoPay => "UPI_AUTOPAY",
        _ => "NONE",
    };

    public static string Of(InstalmentOutcome o) => o.ToString().ToUpperInvariant();

    public static bool TryMandate(string? code, out Mandate mandate)
    {
        (var ok, mandate) = code switch
        {
            "E_NACH" => (true, Mandate.ENach),
            "UPI_AUTOPAY" => (true, Mandate.UpiAutoPay),
            "NONE" => (true, Mandate.None),
            _ => (false, Mandate.None),
        };
        return ok;
    }

    public static bool TryOutcome(string? code, out InstalmentOutcome outcome)
    {
        (var ok, outcome) = code switch
        {
            "PAID" => (true, InstalmentOutcome.Paid),
            "BOUNCED" => (true, InstalmentOutcome.Bounced),
            "PARTIAL" => (true, InstalmentOutcome.Partial),
            "PENDING" => (true, InstalmentOutcome.Pending),
            "MISSED" => (true, InstalmentOutcome.Missed),
            _ => (false, InstalmentOutcome.Pending),
        };
        return ok;
    }
}
