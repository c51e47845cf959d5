using System.Globalization;
using Msme.Domain.Ingestion;

namespace Msme.Domain.DemoData;

/// <summary>How a payment travelled; mapped to the statement's <c>mode</c> by the bank's habits.</summary>
internal enum Channel : byte { Upi, Neft, Rtgs, Imps, Cash, Atm, Card, Nach, Cheque, BillPay, Bank }

/// <summary>How a planned line treats a short balance.</summary>
internal enum Flow : byte
{
    /// <summary>Always posted.</summary>
    Credit,
    /// <summary>Posted only if it leaves the buffer above the floor; otherwise it simply does not happen.</summary>
    Discretionary,
    /// <summary>Paid in part when short: suppliers get what is there.</summary>
    Shrinkable,
    /// <summary>Bank charges: down to the floor, else recovered after the next credit.</summary>
    BankDebit,
    /// <summary>An EMI presented under a mandate: debited in full or returned.</summary>
    Presentment,
    /// <summary>Where the bounce charge lands if the presentment it follows was returned.</summary>
    ChargeSlot,
    /// <summary>An EMI the customer pays by hand (no mandate, or a cure after a bounce).</summary>
    ManualEmi,
    /// <summary>Pays suppliers everything above <see cref="Planned.Amount"/> kept on top of the floor and buffer.</summary>
    Sweep,
    /// <summary>The owner brings money in (cash deposit or UPI from a personal account) to fund a re-presentment.</summary>
    TopUp,
}

/// <summary>A line the simulation intends to post; whether and how much depends on the balance when its turn comes.</summary>
internal struct Planned
{
    public int Second;
    public int Seq;
    public int Account;
    public Flow Flow;
    public Channel Channel;
    public decimal Amount;
    public string Narration;
    public string? Reference;
    public int Loan;
    public int Instalment;
    /// <summary>For presentments and manual EMIs: how many earlier tries this instalment had.</summary>
    public int Try;
}

/// <summary>Which <c>mode</c> values a bank sends.</summary>
internal enum ModeStyle { OthersOnly, V1Modes, V2Modes }

/// <summary>A bounce charge that could not be posted yet (the account was at its floor).</summary>
internal sealed record PendingCharge(decimal Amount, string Narration, int Loan, int Instalment, int Attempt);

/// <summary>A deposit account while it is being simulated: balance, statement so far, and the bank's habits.</summary>
internal sealed class AccountState
{
    public required DemoNames.Bank Bank { get; init; }
    public required string Masked { get; init; }
    public required string LinkRef { get; init; }
    public required string SubType { get; init; }
    public required string Ifsc { get; init; }
    public required string Micr { get; init; }
    public required string Branch { get; init; }
    public required DateOnly OpeningDate { get; init; }
    public decimal OdLimit { get; init; }
    public required ModeStyle Modes { get; init; }
    /// <summary>ICICI-style <c>UPI-NAME-VPA-IFSC-REF-REMARK</c> instead of <c>UPI/ref/name/vpa/bank</c>.</summary>
    public bool DashUpi { get; init; }
    /// <summary><c>NACH-DR-lender-umrn</c> instead of <c>ACH/lender/umrn</c>.</summary>
    public bool NachDr { get; init; }
    /// <summary>₹250 or ₹500 plus 18% GST.</summary>
    public decimal BounceCharge { get; init; }

    public decimal Floor => -OdLimit;
    public decimal Balance { get; set; }
    public decimal OpeningBalance { get; init; }
    public List<Transaction> Txns { get; } = [];
    public long Seq { get; set; }
    public decimal QuarterBalanceSum { get; set; }
    public int QuarterDays { get; set; }
    public decimal MonthCredits { get; set; }
    public decimal PrevMonthCredits { get; set; }
    public List<PendingCharge> PendingCharges { get; } = [];

    public string Mode(Channel c) => Modes switch
    {
        ModeStyle.OthersOnly => c == Channel.Cash ? "CASH" : "OTHERS",
        ModeStyle.V1Modes => c switch
        {
            Channel.Upi => "UPI",
            Channel.Neft or Channel.Rtgs or Channel.Imps or Channel.BillPay => "FT",
            Channel.Cash => "CASH",
            Channel.Atm => "ATM",
            Channel.Card => "CARD",
            _ => "OTHERS",
        },
        _ => c switch
        {
            Channel.Upi => "UPI",
            Channel.Neft => "NEFT",
            Channel.Rtgs => "RTGS",
            Channel.Imps => "IMPS",
            Channel.Cash => "CASH",
            Channel.Atm => "ATM",
            Channel.Card => "CARD",
            Channel.Nach => "NACH",
            Channel.Cheque => "CHEQUE",
            _ => "OTHERS",
        },
    };

    public string Last4 => Masked[^4..];

    public static string Money(decimal v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
