using System.Text.RegularExpressions;

namespace Msme.Domain.Analytics.Classification;

/// <summary>One row of the rail table: a narration pattern that names the payment rail.</summary>
public sealed record ChannelRule(string Id, string Pattern, Channel Channel, string Why)
{
    internal Regex Regex { get; } = ClassificationRules.Compile(Pattern);
}

/// <summary>
/// One row of the category table. A rule matches when the transaction's type is in <see cref="AppliesTo"/>, the
/// narration matches <see cref="Pattern"/> (an empty pattern matches any narration) and, when <see cref="OnChannels"/>
/// is given, the rail is one of them. <see cref="Channel"/> overrides the rail when the rule knows better (a cash
/// deposit is Cash whatever the bank's mode says); null keeps the rail.
/// </summary>
public sealed record CategoryRule(string Id, string Pattern, AppliesTo AppliesTo, Channel? Channel, Category Category, string Why)
{
    public IReadOnlyList<Channel>? OnChannels { get; init; }
    /// <summary>The rule needs a counterparty name in the narration (receipts need a payer to be receipts).</summary>
    public bool NeedsCounterparty { get; init; }
    internal Regex? Regex { get; } = Pattern.Length == 0 ? null : ClassificationRules.Compile(Pattern);
}

/// <summary>
/// The ordered rule tables. First match wins in each table; order is the policy (specific before generic: a bounce
/// charge mentions ACH, an EMI paid over UPI mentions UPI). Rendered to docs/classification-rules.md by
/// <see cref="ClassificationRulesDoc"/>, and a test keeps the two in step.
/// </summary>
public static class ClassificationRules
{
    internal static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, Regex.InfiniteMatchTimeout);

    // No match timeout: the patterns are constants of this file, not input, and a test
    // (ClassificationRulesDocTests.No_rule_pattern_nests_a_quantifier) keeps them free of nested quantifiers, the shape that
    // backtracks catastrophically. A wall-clock timeout guarded the same thing but measured the machine, not the pattern:
    // on a loaded 2-core CI a descheduled thread exceeded it and turned a correct analysis into a failure.

    /// <summary>Rails, read from the narration prefix first because most banks send mode=OTHERS (DOMAIN.md).</summary>
    public static IReadOnlyList<ChannelRule> Channels { get; } =
    [
        new("R-UPI", @"^UPI[/\-]|^UPIRET|^UPI\b", Channel.Upi, "UPI/<ref>/<name>/<vpa>/<bank> and the ICICI-style UPI-<name>-<vpa>-<ifsc>-<ref>-<remark>."),
        new("R-IMPS", @"^MMT/IMPS|^IMPS[\-/ ]|/IMPS/", Channel.Imps, "ICICI MMT/IMPS/... and IMPS-<ref>-... lines."),
        new("R-NEFT", @"^NEFT|^N\d{2,}[A-Z0-9]*[/\-]", Channel.Neft, "NEFT-<utr>-<name>-..., NEFT DR-<ifsc>-<name>-..."),
        new("R-RTGS", @"^RTGS", Channel.Rtgs, "RTGS/<utr>/<name>/... and RTGS DR-..."),
        new("R-NACH", @"^(E?NACH|ACH|ECS)\b|ACH RTN|NACH RETURN|^ECS/", Channel.Nach, "Mandate debits and their returns: ACH/<lender>/<umrn>, NACH-DR-<lender>-<umrn>, ECS."),
        new("R-ATM", @"^(ATM|NFS|ATW|EAW)[/\-]|CASH WDL|ATM WDL", Channel.Atm, "ATM and shared-network (NFS) cash withdrawals."),
        new("R-CASH", @"CASH DEP|BY CASH|CASH DEPOSIT|^CDM|^CSH|CASH WITHDRAWAL|CASH PAID|SELF CHQ", Channel.Cash, "Cash over the counter or at a deposit machine."),
        new("R-CHQ", @"^CLG[/\- ]|^(INW|OUTW?) ?CLG|CHQ|CHEQUE", Channel.Cheque, "Clearing (CLG) and cheque lines."),
        new("R-CARD", @"^POS\b|^(VIN|IIN|VPS|IPS|PCD|MPS)/|DEBIT CARD PURCHASE", Channel.Card, "Card swipes and e-commerce: POS <card> <merchant>, VIN/ and IIN/ (ICICI Visa/online card)."),
        new("R-BILL", @"^BIL/|^BBPS|BPAY", Channel.BillPay, "Net-banking bill payment: BIL/BPAY/..., BIL/ONL/..."),
        new("R-INT", @"^(TRF|TRANSFER) (TO|FROM)|^INF/|^CHRG|^Int\.?Pd|INT\.PD|^INT(EREST)? CR|^SI/|SWEEP", Channel.Internal, "Book entries inside the bank: own-account transfers, ICICI INF/ intra-bank transfers, charges, interest."),
    ];

    /// <summary>What the statement's mode field says, used only when no rail rule matched the narration.</summary>
    public static IReadOnlyList<(string Mode, Channel Channel)> Modes { get; } =
    [
        ("UPI", Channel.Upi), ("NEFT", Channel.Neft), ("IMPS", Channel.Imps), ("RTGS", Channel.Rtgs), ("NACH", Channel.Nach),
        ("ECS", Channel.Nach), ("ACH", Channel.Nach), ("ATM", Channel.Atm), ("CASH", Channel.Cash), ("CHEQUE", Channel.Cheque),
        ("CARD", Channel.Card), ("FT", Channel.Other), ("OTHERS", Channel.Other),
    ];

    private static readonly Channel[] TransferRails = [Channel.Upi, Channel.Neft, Channel.Imps, Channel.Rtgs, Channel.Cheque];

    /// <summary>Categories, most specific first.</summary>
    public static IReadOnlyList<CategoryRule> Categories { get; } =
    [
        new("C-RVSL", @"RVSL|^UPIRET|REVERSAL|\bREV(ERSED)?\b|REFUND(?! ADJ)", AppliesTo.Credit, null, Category.Reversal,
            "A credit that undoes an earlier debit (UPI reversal, failed payment returned, merchant refund) is not income."),
        new("C-BOUNCE", @"RTN CHRG|RETURN CHARGES?|RTN CHG|BOUNCE|INSUFFICIENT|INSUFF|\bI/W RTN\b|ECS RTN|NACH RTN|CHQ RTN|RET CHGS?", AppliesTo.Debit, Channel.Internal, Category.BounceCharges,
            "The bank's charge for a returned mandate or cheque: the clearest sign an EMI or cheque failed for want of funds."),
        new("C-INT", @"Int\.?Pd|INT\.PD|\bINTEREST\b|^INT(EREST)? CR|\bINT CR\b|SB INT", AppliesTo.Both, Channel.Internal, Category.Interest,
            "Interest credited on savings (or debited on an overdraft) is a bank book entry, not trade."),
        new("C-CHRG", @"^CHRG|\bCHGS?\b|\bCHARGES?\b|\bFEE\b|RwdFee|SMS ALERT|\bAMC\b|MIN(IMUM)? BAL|NON MAINT|CASH HANDLING", AppliesTo.Debit, Channel.Internal, Category.BankCharges,
            "Bank fees (SMS alerts, card fees, cash handling, minimum balance) lower the surplus but say nothing about trade."),
        new("C-ATMREV", "", AppliesTo.Credit, null, Category.Reversal,
            "A credit on the ATM rail is a failed withdrawal put back, not a deposit.") { OnChannels = [Channel.Atm] },
        new("C-CARDREV", "", AppliesTo.Credit, null, Category.Reversal,
            "A credit on the card rail is a refund or a reversed card payment.") { OnChannels = [Channel.Card] },
        new("C-GST", @"\bGST\b|GSTN|\bCPIN\b|\bCBDT\b|\bTDS\b|ADVANCE TAX|INCOME TAX|\bOLTAS\b|\bTIN-?NSDL\b", AppliesTo.Debit, null, Category.GstTax,
            "GST (CPIN challans) and direct tax payments: statutory outflows that follow turnover."),
        new("C-DISB", @"LOAN DISB|DISBURS", AppliesTo.Credit, null, Category.Other,
            "A loan disbursal is borrowed money, not a receipt from trade; kept out of BusinessReceipts on purpose."),
        new("C-EMIKW", @"\bEMI\b|LOAN ?REPAY|\bLOAN\b.*\bINST", AppliesTo.Debit, null, Category.LoanEmi,
            "An EMI named as such, on any rail (UPI AutoPay, IMPS payment link)."),
        new("C-INS", @"(?<![A-Z])LIC(?![A-Z])|INSURANCE|PREMIUM|\bPOLICY\b|HDFC LIFE|SBI LIFE|ICICI PRU|BAJAJ ALLIANZ|STAR HEALTH", AppliesTo.Debit, null, Category.InsurancePremium,
            "Insurance premiums (LIC and the private insurers), often collected by CMS or ACH."),
        new("C-SIP", @"\bSIP\b|GROWW|ZERODHA|BSE0|BSESTAR|BSE STAR|MUTUAL ?FUND|\bMF\b|NSE CLEARING|INDIAN CLEARING|KUVERA|PAYTM ?MONEY|UPSTOX|\bAMC LTD", AppliesTo.Debit, null, Category.SipInvestment,
            "Mutual fund and investment debits (SIP mandates, BSE StAR MF, investment apps): savings capacity, not spending."),
        new("C-NACH", "", AppliesTo.Debit, null, Category.LoanEmi,
            "A mandate debit (ACH/NACH/ECS) not claimed by insurance or SIP above is taken as a loan EMI: lenders collect that way.") { OnChannels = [Channel.Nach] },
        new("C-RENT", @"\bRENT\b|\bLEASE\b|\bRENTAL\b", AppliesTo.Debit, null, Category.Rent,
            "Rent or lease named in the remark."),
        new("C-SALOUT", @"^SAL/|\bSALARY\b|\bSAL\b|PAYROLL|\bWAGES?\b|REMUNERATION|STIPEND", AppliesTo.Debit, null, Category.SalaryPayout,
            "Salaries and wages paid out (SAL/<period>/<name>, CMS/SALARY bulk runs, director remuneration)."),
        new("C-SALIN", @"\bSAL\b|\bSALARY\b|PAYROLL|\bWAGES?\b", AppliesTo.Credit, null, Category.SalaryCredit,
            "A salary credit into the account."),
        new("C-UTIL", @"ELECTRICITY|BESCOM|MSEDCL|MAHADISCOM|TANGEDCO|TNEB|BSES|UPPCL|JVVNL|TSSPDCL|WBSEDCL|KSEB|PSPCL|DHBVN|DGVCL|TATA POWER|ADANI ELEC|\bJIO(?!MART)|AIRTEL|VODAFONE|BSNL|BROADBAND|\bDTH\b|TATA ?SKY|\bGAS\b|INDANE|\bWATER\b|RECHARGE|POSTPAID|PREPAID", AppliesTo.Debit, null, Category.Utilities,
            "Power, telecom, gas and water bills (board names as billers in BIL/BPAY)."),
        new("C-CASHIN", "", AppliesTo.Credit, Channel.Cash, Category.CashDeposit,
            "Cash paid in at a branch or deposit machine.") { OnChannels = [Channel.Cash] },
        new("C-CASHOUT", "", AppliesTo.Debit, null, Category.CashWithdrawal,
            "Cash taken out at an ATM, a shared-network ATM or over the counter.") { OnChannels = [Channel.Atm, Channel.Cash] },
        new("C-SELF", @"^TRF (TO|FROM)|/SELF\b|\bSELF\b|OWN A/?C|OWN ACCOUNT|\bSWEEP\b", AppliesTo.Both, null, Category.OwnTransfer,
            "Money moved between the holder's own accounts (TRF TO/FROM, SELF): neither income nor spending."),
        new("C-SUPPLIER", @"SUPPLIER|PURCHASE|VENDOR|INVOICE|\bGOODS\b|/PAYMENT/|^NEFT DR-.*-PAYMENT$|RAW MAT|SHIPROCKET|DELHIVERY|ECOM EXPRESS|XPRESSBEES|DTDC|\bFREIGHT\b|TRANSPORT", AppliesTo.Debit, null, Category.SupplierPayment,
            "Payments for goods, materials, freight and vendor services."),
        new("C-FIRMOUT", @"\b(PVT|PRIVATE|LTD|LIMITED|LLP|TRADERS|ENTERPRISES|INDUSTRIES|AGENC(Y|IES)|DISTRIBUTORS?|WHOLESALE|MILLS?|STOCKIST|DEALER)\b", AppliesTo.Debit, null, Category.SupplierPayment,
            "A transfer to a firm (its name carries PVT LTD, TRADERS, DISTRIBUTOR, ...) is a supplier payment.") { OnChannels = [Channel.Neft, Channel.Rtgs, Channel.Imps, Channel.Cheque, Channel.Upi] },
        new("C-ONEOFF", @"CAPITAL INTRODUCED|SALE OF PROPERTY|\bCLAIM\b|MATURITY|\bFD\b.*CLOS|DIVIDEND", AppliesTo.Credit, null, Category.Other,
            "Capital brought in, an asset sold, a claim or an investment maturing: real money, but not revenue from trade."),
        new("C-RECEIPT", @"SETTLEMENT|\bSALE\b|RETAINER|PROJECT|\bINV\d*\b|INVOICE|\bGOODS\b|\bORDER\b|\b(PVT|PRIVATE|LTD|LIMITED|LLP|TRADERS|ENTERPRISES|INDUSTRIES|AGENC(Y|IES)|AND CO)\b", AppliesTo.Credit, null, Category.BusinessReceipts,
            "A credit for goods or services (settlements, sales, retainers, invoices, payments from firms).") { OnChannels = TransferRails },
        new("C-CREDIT", "", AppliesTo.Credit, null, Category.BusinessReceipts,
            "Any other named payer over a transfer rail: for an MSME account, receipts from customers are the default reading.") { OnChannels = TransferRails, NeedsCounterparty = true },
        new("C-OTHER", "", AppliesTo.Both, null, Category.Other,
            "Nothing above applies (personal spending, unnamed transfers, scrubbed narrations)."),
    ];
}
