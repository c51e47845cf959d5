using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics.Classification;

/// <summary>The payment rail a transaction travelled on.</summary>
public enum Channel { Upi, Neft, Imps, Rtgs, Nach, Atm, Cash, Cheque, Card, BillPay, Internal, Other }

/// <summary>What a transaction was for, as a credit analyst would read the statement line.</summary>
public enum Category
{
    BusinessReceipts, SalaryCredit, SalaryPayout, SupplierPayment, Rent, LoanEmi, GstTax, Utilities, InsurancePremium,
    SipInvestment, BankCharges, BounceCharges, Interest, Reversal, OwnTransfer, CashDeposit, CashWithdrawal, Other,
}

/// <summary>Which transaction types a rule looks at.</summary>
public enum AppliesTo { Credit, Debit, Both }

/// <summary>
/// The result of classifying one transaction. <paramref name="RuleId"/> names the category rule that decided,
/// <paramref name="ChannelRuleId"/> the rail rule (or the <c>mode</c> fallback), so every label can be traced to
/// one row of docs/classification-rules.md.
/// </summary>
public sealed record Classification(Channel Channel, Category Category, string? Counterparty, string RuleId, string ChannelRuleId);

/// <summary>Extension helpers shared by the classifier and the pattern finders.</summary>
internal static class TxnTypeExtensions
{
    public static bool Matches(this AppliesTo applies, TxnType type) => applies switch
    {
        AppliesTo.Both => type != TxnType.Reversal,
        AppliesTo.Credit => type == TxnType.Credit,
        _ => type == TxnType.Debit,
    };
}
