using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Classification;

public class TransactionClassifierTests
{
    [Theory]
    [InlineData("ACH RTN CHRG/BAJAJ FINANCE LTD/HDFC1234567890123456", "DEBIT", Channel.Internal, Category.BounceCharges, "C-BOUNCE", "BAJAJ FINANCE LTD")]
    [InlineData("NACH RETURN CHARGES/UTIB1234567890123456 INCL GST", "DEBIT", Channel.Internal, Category.BounceCharges, "C-BOUNCE", null)]
    [InlineData("ACH/TATA CAPITAL LTD/ICIC0000000000001234", "DEBIT", Channel.Nach, Category.LoanEmi, "C-NACH", "TATA CAPITAL LTD")]
    [InlineData("NACH-DR-LENDINGKART FINANCE-SBIN1234567812345678", "DEBIT", Channel.Nach, Category.LoanEmi, "C-NACH", "LENDINGKART FINANCE")]
    [InlineData("UPI/123456789012/FLEXILOANS EMI/flexiloans.emi@icici/AUTOPAY UMN123456789012", "DEBIT", Channel.Upi, Category.LoanEmi, "C-EMIKW", "FLEXILOANS EMI")]
    [InlineData("CMS/000634264039/AD_LIC__648652702", "DEBIT", Channel.Other, Category.InsurancePremium, "C-INS", "AD_LIC__648652702")]
    [InlineData("BIL/BPAY/001962559893/PARTY 5FDE0/BSE000000034260", "DEBIT", Channel.BillPay, Category.SipInvestment, "C-SIP", "PARTY 5FDE0")]
    [InlineData("BIL/BPAY/123456789012/BESCOM/998877665544", "DEBIT", Channel.BillPay, Category.Utilities, "C-UTIL", "BESCOM")]
    [InlineData("MMT/IMPS/009900356311/Rent/PARTY B1161/HDFC0000847", "DEBIT", Channel.Imps, Category.Rent, "C-RENT", "PARTY B1161")]
    [InlineData("SAL FINTECH PRODUCTS and SOLUTIONS MAR 2020", "CREDIT", Channel.Other, Category.SalaryCredit, "C-SALIN", "SAL FINTECH PRODUCTS AND SOLUTIONS MAR 2020")]
    [InlineData("SAL/JAN 2025/RAVI KUMAR/SBIN0001234", "DEBIT", Channel.Other, Category.SalaryPayout, "C-SALOUT", "RAVI KUMAR")]
    [InlineData("GST/CPIN/12345678901234", "DEBIT", Channel.Other, Category.GstTax, "C-GST", null)]
    [InlineData("NFS/CASH WDL/12-02-25/261297/KANPUR", "DEBIT", Channel.Atm, Category.CashWithdrawal, "C-CASHOUT", null)]
    [InlineData("ATM/PARTY CF3CB/PARTY 2A146/11-05-21", "CREDIT", Channel.Atm, Category.Reversal, "C-ATMREV", null)]
    [InlineData("BY CASH DEPOSIT-PUNE MG ROAD", "CREDIT", Channel.Cash, Category.CashDeposit, "C-CASHIN", null)]
    [InlineData("UPI/RVSL124422395103/Groww/PARTY 0C71C/PARTY 0A39A/ICIca03bd9b4fd44f228e0", "CREDIT", Channel.Upi, Category.Reversal, "C-RVSL", "GROWW")]
    [InlineData("Int.Pd:XXXXXXX1234:01-01-2025 to 31-03-2025", "CREDIT", Channel.Internal, Category.Interest, "C-INT", null)]
    [InlineData("CHRG/SMS ALERT CHGS OCT-DEC24", "DEBIT", Channel.Internal, Category.BankCharges, "C-CHRG", null)]
    [InlineData("TRF TO XXXXXXXX1234/SELF", "DEBIT", Channel.Internal, Category.OwnTransfer, "C-SELF", null)]
    [InlineData("NEFT-HDFCN25031123456-SHREE AUTO PARTS PVT LTD-INV12345-HDFC0001234", "CREDIT", Channel.Neft, Category.BusinessReceipts, "C-RECEIPT", "SHREE AUTO PARTS PVT LTD")]
    [InlineData("NEFT DR-SBIN0001234-AMUL DISTRIBUTORS-NETBANK, MUM-SBINN25031123456-PAYMENT", "DEBIT", Channel.Neft, Category.SupplierPayment, "C-SUPPLIER", "AMUL DISTRIBUTORS")]
    [InlineData("UPI-ZOMATO-ZOMATO@HDFCBANK-HDFC0000499-111412338985-PARTY 5E09D", "DEBIT", Channel.Upi, Category.Other, "C-OTHER", "ZOMATO")]
    [InlineData("UPI-PARTY 0F1C8-PARTY 67615-payeeab32f@OKBIZAXIS-UTIB0000000-117762032471-PAYMENT FROM PHONE", "DEBIT", Channel.Upi, Category.Other, "C-OTHER", "PARTY 0F1C8-PARTY 67615")]
    [InlineData("RTGS/UTIBR20250311123456789/RAJ PHARMA LTD/CAPITAL INTRODUCED", "CREDIT", Channel.Rtgs, Category.Other, "C-ONEOFF", "RAJ PHARMA LTD")]
    [InlineData("NEFT-HDFCN25031123456-BAJAJ FINANCE LTD-LOAN DISB LN1234567890-HDFC0001234", "CREDIT", Channel.Neft, Category.Other, "C-DISB", "BAJAJ FINANCE LTD")]
    public void Narrations_are_read_for_rail_purpose_and_party(string narration, string type, Channel channel, Category category, string rule, string? counterparty)
    {
        var c = TransactionClassifier.Classify(narration, Enum.Parse<TxnType>(type, true), "OTHERS");

        Assert.Equal((channel, category, rule, counterparty), (c.Channel, c.Category, c.RuleId, c.Counterparty));
    }

    [Fact]
    public void Mode_decides_the_rail_only_when_the_narration_does_not()
    {
        Assert.Equal(Channel.Card, TransactionClassifier.Classify("YUM Restaurant", TxnType.Debit, "CARD").Channel);
        Assert.Equal("M-CARD", TransactionClassifier.Classify("YUM Restaurant", TxnType.Debit, "CARD").ChannelRuleId);
        // The narration wins over a generic FT mode.
        Assert.Equal(Channel.Imps, TransactionClassifier.Classify("MMT/IMPS/1/Rent/X/Y", TxnType.Debit, "FT").Channel);
        Assert.Equal(Channel.Other, TransactionClassifier.Classify(null, TxnType.Debit, null).Channel);
    }

    [Fact]
    public void A_reversal_typed_line_is_a_reversal_whatever_it_says()
    {
        var c = TransactionClassifier.Classify("NEFT-X-SHREE TRADERS-GOODS-Y", TxnType.Reversal, "OTHERS");
        Assert.Equal((Category.Reversal, TransactionClassifier.ReversalTypeRule), (c.Category, c.RuleId));
    }

    [Fact]
    public void Words_inside_a_upi_handle_do_not_decide_the_purpose()
    {
        // "parent@ybl" contains RENT and "@MAIRTEL" contains AIRTEL; neither is rent nor a phone bill.
        Assert.Equal(Category.Other, TransactionClassifier.Classify("UPI/1/RAVI/parent@ybl/Axis Bank", TxnType.Debit, "UPI").Category);
        Assert.Equal(Category.Other, TransactionClassifier.Classify("UPI-PARTY 22584-payee56845@MAIRTEL-AIRP0000001-101101004863-PAYMENT FROM PHONE", TxnType.Debit, "OTHERS").Category);
    }

    [Fact]
    public void Explain_names_the_rules_the_pattern_and_the_reason()
    {
        var txn = new Transaction
        {
            TxnId = "T1", Type = TxnType.Debit, Amount = 590m, Balance = 10m, Position = 0,
            Timestamp = DateTimeOffset.Parse("2025-01-05T19:00:00+05:30", System.Globalization.CultureInfo.InvariantCulture),
            Narration = "ACH RTN CHRG/BAJAJ FINANCE LTD/HDFC1234567890123456", Mode = "OTHERS",
        };
        var e = TransactionClassifier.Explain(txn);

        Assert.Equal("Internal / BounceCharges / BAJAJ FINANCE LTD", e.Result);
        Assert.Contains(e.Inputs, i => i.Label == "category rule" && i.Value == "C-BOUNCE");
        Assert.Contains(e.Inputs, i => i.Label == "rail rule" && i.Value == "R-NACH");
        Assert.Contains("returned mandate", e.Narrative, StringComparison.Ordinal);
    }

    /// <summary>
    /// A statement classifies its lines on spans and remembers decisions and names; each line must come out exactly as
    /// classified alone: the labelled set (every rule), a demo book, and lines made to meet the cache's edges (no
    /// narration, white space only, null and empty modes, the same rule text under another type or mode, narrations
    /// long enough for the pooled buffer, digits only, names that differ only in case and spacing).
    /// </summary>
    [Fact]
    public void A_statements_remembered_decisions_and_names_classify_every_line_as_it_is_classified_alone()
    {
        var long1 = "NEFT CR-HDFC0000001-" + new string('A', 400) + " TRADERS-REF 12345";
        List<(string? Narration, TxnType Type, string? Mode)> lines =
        [
            .. LabelledSet.Load().Select(l => ((string?)l.Narration, l.Type, (string?)l.Mode)),
            .. Msme.Domain.DemoData.DemoGenerator.Generate(new Msme.Domain.DemoData.DemoOptions(new DateOnly(2026, 9, 30), 4, 6, 7))
                .SelectMany(c => c.Accounts).SelectMany(a => a.Transactions).Select(t => (t.Narration, t.Type, t.Mode)),
            (null, TxnType.Credit, null), ("   ", TxnType.Debit, "UPI"), ("", TxnType.Credit, ""),
            ("UPI/123/ramesh  kumar/ramesh@ybl/SBI", TxnType.Credit, "UPI"), ("UPI/987/RAMESH KUMAR/ramesh@ybl/SBI", TxnType.Credit, "UPI"),
            ("UPI/987/RAMESH KUMAR/ramesh@ybl/SBI", TxnType.Debit, "UPI"), ("UPI/987/RAMESH KUMAR/ramesh@ybl/SBI", TxnType.Credit, null),
            ("UPI/987/RAMESH KUMAR/ramesh@ybl/SBI", TxnType.Credit, ""), ("UPI/987/RAMESH KUMAR/ramesh@ybl/SBI", TxnType.Reversal, "UPI"),
            ("UPI/987/UPI/ramesh@ybl/SBI", TxnType.Credit, "UPI"), ("UPI/987/12345/ramesh@ybl/SBI", TxnType.Credit, "UPI"),
            ("  CHRG 5 ", TxnType.Debit, "OTHERS"), ("12345", TxnType.Credit, "CASH"), ("7", TxnType.Credit, "CASH"),
            (long1, TxnType.Credit, "NEFT"), (long1.Replace("12345", "9", StringComparison.Ordinal), TxnType.Credit, "NEFT"),
            (new string('9', 700), TxnType.Debit, "FT"), ("NACH-DR-" + new string('X', 300) + "-EMI", TxnType.Debit, new string('M', 300)),
        ];
        var cache = new TransactionClassifier.StatementCache();
        var position = 0;
        foreach (var (narration, type, mode) in lines.Concat(lines))
        {
            var txn = new Transaction { TxnId = "t" + position, Type = type, Mode = mode, Amount = 1m, Balance = 0m, Timestamp = DateTimeOffset.UnixEpoch, Narration = narration, Position = position++ };
            Assert.Equal(TransactionClassifier.Classify(txn), TransactionClassifier.Classify(txn, cache));
        }
    }
}
