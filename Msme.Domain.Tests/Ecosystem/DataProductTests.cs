using System.Text.Json;
using Msme.Domain.Analytics;
using Msme.Domain.Consent;
using Msme.Domain.Ecosystem;
using Msme.Domain.Ecosystem.Insurance;
using Msme.Domain.Ecosystem.MutualFunds;
using Msme.Domain.Ecosystem.Ocen;
using Msme.Domain.Ecosystem.Ondc;
using Msme.Domain.Tests.Analytics.Insights;

namespace Msme.Domain.Tests.Ecosystem;

public class DataProductTests
{
    private static readonly DateTimeOffset PreparedAt = new(2024, 7, 2, 10, 0, 0, TimeSpan.FromHours(5.5));

    /// <summary>
    /// Six complete months (Jan–Jun 2024; the first line on the 1st, the last on the month's last day, so coverage holds
    /// every day). Every month: receipts from Shree Auto Parts on the 1st (60k, 50k, 70k, 60k, 80k, 90k),
    /// an ONDC settlement of 30,000 and a UPI receipt of 10,000 from Ravi Kumar; a Bajaj EMI of 12,500 on the 5th, a SIP
    /// of 5,000 on the 7th, an LIC premium of 2,000 on the 10th, a supplier payment of 40,000 on the last day; in March a 1,000 refund.
    /// Inflow 100k, 90k, 110k, 100k, 120k, 130k; free cashflow = inflow − 42,000 (− 43,000 in March):
    /// 58k, 48k, 67k, 58k, 78k, 88k → median (58k + 67k) / 2 = 62,500.
    /// </summary>
    private static AccountInsights Seller(decimal emi = 12_500m, int months = 6)
    {
        decimal[] shree = [60_000m, 50_000m, 70_000m, 60_000m, 80_000m, 90_000m];
        var b = new StatementBuilder().Period("2024-01-01", $"2024-{months:D2}-{DateTime.DaysInMonth(2024, months):D2}");
        for (var m = 1; m <= months; m++)
        {
            b.Credit($"2024-{m:D2}-01", shree[m - 1], $"NEFT-HDFCN2401{m:D2}123456-SHREE AUTO PARTS PVT LTD-INV{m}-HDFC0001234");
            b.Debit($"2024-{m:D2}-05", emi, "ACH/BAJAJ FINANCE LTD/HDFC1234567890123456", time: "06:00");
            b.Debit($"2024-{m:D2}-07", 5_000m, $"BIL/BPAY/00196255989{m}/PARTY 5FDE0/BSE000000034260");
            b.Debit($"2024-{m:D2}-10", 2_000m, "CMS/000634264039/AD_LIC__648652702");
            b.Credit($"2024-{m:D2}-12", 30_000m, $"NEFT-UTIBN2401{m:D2}000001-ONDC SETTLEMENT-MYSTORE");
            b.Debit($"2024-{m:D2}-{DateTime.DaysInMonth(2024, m):D2}", 40_000m, $"MMT/IMPS/41234{m}/PAYMENT/SAI RICE MILL/SBIN0000001");
            b.Credit($"2024-{m:D2}-20", 10_000m, $"UPI/40123456789{m}/RAVI KUMAR/ravi@ybl/Axis Bank");
            if (m == 3) b.Debit("2024-03-25", 1_000m, "ONDC REFUND ADJ/MYSTORE/ORD1234567890");
        }
        return CustomerInsights.Build([b.Build()], "Sharma Traders").Combined;
    }

    private static BorrowerProfile Borrower() =>
        BorrowerProfile.Create("AAAPS1234K", "Sharma Traders", "sharma@onemoney", "UDYAM-MH-12-0001234", "MICRO", "TRADING");

    [Fact]
    public void Stable_surplus_is_the_median_free_cashflow_with_emis_and_sips_added_back()
    {
        var s = SurplusBase.Build(Seller());

        Assert.Null(s.Insufficient);
        Assert.Equal([58_000m, 48_000m, 67_000m, 58_000m, 78_000m, 88_000m], s.Months.Select(m => m.FreeCashflow));
        Assert.Equal(62_500.00m, s.StableMonthlySurplus.Value);
        Assert.Equal(12_500.00m, s.ExistingEmis.Value);
        Assert.Equal(5_000.00m, s.ExistingSips.Value);
        Assert.Equal(24_000.00m, s.AnnualisedPremiums.Value);
        Assert.Equal(40_000.00m, s.MedianOperatingOutflow.Value);
        Assert.Equal(108_333.33m, s.AverageMonthlyInflow.Value);
        Assert.Equal("BAJAJ FINANCE LTD", Assert.Single(s.Emis).Payee);
        Assert.Equal(6, s.StableMonthlySurplus.Explanation.Inputs.Count);
        Assert.Equal("2024-03: 110000.00 − 60500.00 + EMI 12500.00 + SIP 5000.00", s.StableMonthlySurplus.Explanation.Inputs[2].Label);
    }

    [Fact]
    public void Two_loans_with_one_lender_count_twice_and_an_ended_loan_not_at_all()
    {
        // Bajaj collects two loans of 12,500 on the 5th (one series, two debits a month): 25,000 a month. Tata's
        // 8,000 stopped after February: ended, not counted. 12,500 × 2 = 25,000.
        var b = new StatementBuilder().Period("2024-01-01", "2024-04-30");
        for (var m = 1; m <= 4; m++)
        {
            b.Credit($"2024-{m:D2}-01", 100_000m, $"NEFT-HDFCN2401{m:D2}123456-SHREE AUTO PARTS PVT LTD-INV{m}-HDFC0001234");
            b.Debit($"2024-{m:D2}-05", 12_500m, "ACH/BAJAJ FINANCE LTD/HDFC1234567890123456", time: "06:00");
            b.Debit($"2024-{m:D2}-05", 12_500m, "ACH/BAJAJ FINANCE LTD/HDFC6543210987654321", time: "06:05");
            if (m <= 2) b.Debit($"2024-{m:D2}-10", 8_000m, "NACH-DR-TATA CAPITAL LTD-UTIB1234567890123456", time: "06:00");
            b.Debit($"2024-{m:D2}-{DateTime.DaysInMonth(2024, m):D2}", 40_000m, $"MMT/IMPS/41234{m}/PAYMENT/SAI RICE MILL/SBIN0000001");
        }

        var s = SurplusBase.Build(CustomerInsights.Build([b.Build()], null).Combined);

        Assert.Equal(25_000.00m, s.ExistingEmis.Value);
        Assert.Equal([("BAJAJ FINANCE LTD", 25_000.00m, true), ("TATA CAPITAL LTD", 8_000.00m, false)],
            s.Emis.OrderBy(e => e.Payee).Select(e => (e.Payee, e.MonthlyAmount, e.Active)));
        Assert.Contains(s.ExistingEmis.Explanation.Inputs, i => i.Label == "TATA CAPITAL LTD (2 months, last 2024-02): ended, not counted");
        Assert.Equal(60_000.00m, s.StableMonthlySurplus.Value);   // 100,000 − 40,000 every month, EMIs added back
    }

    [Fact]
    public void Ocen_terms_take_half_the_surplus_less_emis_and_the_turnover_cap_binds()
    {
        var insights = Seller();
        var app = OcenApplicationBuilder.Build(Borrower(), SurplusBase.Build(insights), insights, ["consent-1"], PreparedAt);

        Assert.Null(app.Insufficient);
        Assert.Equal(18_750.00m, app.AffordableEmi.Value);          // 0.5 × 62,500 − 12,500
        Assert.Equal(24m, app.TenureMonths.Value);                   // cv 0.136, 6 months: High
        Assert.Equal(375_570.10m, app.LoanAmountForEmi.Value);      // 18,750 × (1 − 1.015^−24) / 0.015
        Assert.Equal(259_999.99m, app.TurnoverCap.Value);           // 0.2 × 12 × 108,333.33
        Assert.Equal(259_000m, app.RequestedAmount.Value);
        Assert.Contains("turnover cap", app.RequestedAmount.Explanation.Narrative);
        Assert.Equal("INDIVIDUAL", app.Borrower.Category);
        Assert.Empty(app.Missing);
        Assert.All(app.Figures, f => Assert.NotEmpty(f.Explanation.Inputs));
    }

    [Fact]
    public void Ocen_amount_follows_the_emi_when_it_is_below_the_cap()
    {
        // EMI 25,000: affordable = 31,250 − 25,000 = 6,250; 6,250 × 20.030405366 = 125,190.03 < cap.
        var insights = Seller(emi: 25_000m);
        var app = OcenApplicationBuilder.Build(Borrower(), SurplusBase.Build(insights), insights, ["consent-1"], PreparedAt);

        Assert.Equal(6_250.00m, app.AffordableEmi.Value);
        Assert.Equal(125_190.03m, app.LoanAmountForEmi.Value);
        Assert.Equal(125_000m, app.RequestedAmount.Value);
    }

    [Fact]
    public void Emis_that_take_the_whole_share_leave_no_loan_and_no_sip()
    {
        // The EMI is added back, so the surplus stays 62,500 whatever it is. EMI 60,000: 0.5 × 62,500 − 60,000 < 0 → 0;
        // SIP: 62,500 − 60,000 − 5,000 < 0 → 0.
        var insights = Seller(emi: 60_000m);
        var surplus = SurplusBase.Build(insights);
        var app = OcenApplicationBuilder.Build(Borrower(), surplus, insights, [], PreparedAt);
        var sip = SipCapacityBuilder.Build(surplus);

        Assert.Equal(62_500.00m, surplus.StableMonthlySurplus.Value);
        Assert.Equal(60_000.00m, surplus.ExistingEmis.Value);
        Assert.Equal(0m, app.AffordableEmi.Value);
        Assert.Equal(0m, app.RequestedAmount.Value);
        Assert.Equal(0m, sip.MonthlySipCapacity.Value);
        Assert.Contains("no room", app.AffordableEmi.Explanation.Narrative);
        Assert.Contains("no room for another SIP", sip.MonthlySipCapacity.Explanation.Narrative);
        // The turnover method alone would still offer a line: the profile says the EMIs need a look.
        var ondc = OndcProfileBuilder.Build(surplus, insights);
        Assert.Equal(190_000m, ondc.SuggestedLine.Value);
        Assert.Contains(ondc.Reasons, r => r.StartsWith("Check debt service before sanctioning", StringComparison.Ordinal));
    }

    [Fact]
    public void Ondc_profile_reads_receipts_refunds_and_payer_concentration()
    {
        var insights = Seller();
        var p = OndcProfileBuilder.Build(SurplusBase.Build(insights), insights);

        Assert.Null(p.Insufficient);
        Assert.Equal([100_000m, 90_000m, 110_000m, 100_000m, 120_000m, 130_000m], p.Months.Select(m => m.Value));
        Assert.Equal(108_333.33m, p.MonthlyReceipts.Value);
        Assert.Equal(3m, p.MonthlyReceiptCount.Value);
        Assert.Equal(0.276923m, p.SettlementShare.Value);   // 180,000 / 650,000
        Assert.Equal(0.166667m, p.Growth.Value);            // (350,000 − 300,000) / 300,000
        Assert.Equal(1.238095m, p.PeakToMedian.Value);      // 130,000 / 105,000
        Assert.Equal(0.001538m, p.RefundRatio.Value);       // 1,000 / 650,000
        Assert.Equal(0.723077m, p.Top5PayerShare.Value);    // (410,000 + 60,000) / 650,000: the settlements pool many buyers
        Assert.Equal(0.406391m, p.PayerHhi.Value);          // (410/650)² + (60/650)²
        Assert.Equal(("SHREE AUTO PARTS PVT LTD", 410_000.00m, 0.630769m), (p.TopPayers[0].Payer, p.TopPayers[0].Value, p.TopPayers[0].Share));
        Assert.Equal(190_000m, p.SuggestedLine.Value);      // 0.2 × 12 × 108,333.33 × (1 − 0.001538) × 0.75 = 194,700.08
        Assert.Equal(2, p.TopPayers.Count);
        Assert.Contains(p.Reasons, r => r.Contains("concentrated", StringComparison.Ordinal));
        Assert.DoesNotContain(p.Reasons, r => r.Contains("debt service", StringComparison.Ordinal));
    }

    [Fact]
    public void Counterparty_names_go_through_the_disclosure_function()
    {
        var insights = Seller();
        var surplus = SurplusBase.Build(insights, n => "masked:" + n[..1]);
        var p = OndcProfileBuilder.Build(surplus, insights, n => "masked:" + n[..1]);

        Assert.Equal("masked:S", p.TopPayers[0].Payer);
        Assert.Equal("masked:B", surplus.Emis[0].Payee);
        Assert.DoesNotContain(p.Top5PayerShare.Explanation.Inputs, i => i.Label.Contains("SHREE", StringComparison.Ordinal));
    }

    [Fact]
    public void Insurance_suggests_ten_years_of_surplus_and_six_months_of_costs()
    {
        var s = InsuranceSuitabilityBuilder.Build(SurplusBase.Build(Seller()));

        Assert.Null(s.Insufficient);
        var life = s.Covers.Single(c => c.Type == "term-life");
        var bi = s.Covers.Single(c => c.Type == "business-interruption");
        Assert.Equal(7_500_000m, life.SumInsured.Value);     // 10 × 12 × 62,500
        Assert.Equal(240_000m, bi.SumInsured.Value);         // 6 × 40,000
        Assert.Equal("normal", bi.Priority);                 // a 10 lakh balance is many months of costs
        Assert.Equal(24_000.00m, s.AnnualisedPremiums.Value);
        Assert.Equal(13_500.00m, s.PremiumHeadroom.Value);   // 0.05 × 12 × 62,500 − 24,000
        Assert.Contains(s.Notes, n => n.Contains("Premiums are already paid", StringComparison.Ordinal));
    }

    [Fact]
    public void Sip_capacity_is_half_the_surplus_left_after_emis_and_sips_with_a_bucket_from_income_confidence()
    {
        var sip = SipCapacityBuilder.Build(SurplusBase.Build(Seller()));

        Assert.Equal(22_500m, sip.MonthlySipCapacity.Value);  // 0.5 × (62,500 − 12,500 − 5,000)
        Assert.Equal("Aggressive", sip.RiskBucket);
        Assert.Equal("PARTY 5FDE0", Assert.Single(sip.ExistingSips).Payee);
    }

    [Fact]
    public void Two_complete_months_are_insufficient_and_every_product_says_so_instead_of_a_figure()
    {
        var insights = Seller(months: 2);
        var surplus = SurplusBase.Build(insights);
        var app = OcenApplicationBuilder.Build(Borrower(), surplus, insights, [], PreparedAt);
        var ondc = OndcProfileBuilder.Build(surplus, insights);
        var ins = InsuranceSuitabilityBuilder.Build(surplus);
        var sip = SipCapacityBuilder.Build(surplus);

        const string reason = "Only 2 complete month(s) of data; at least 3 are needed.";
        Assert.Equal(reason, surplus.Insufficient);
        Assert.Equal((null, reason), (surplus.StableMonthlySurplus.Value, surplus.StableMonthlySurplus.Unavailable));
        Assert.Equal((null, reason), (app.RequestedAmount.Value, app.RequestedAmount.Unavailable));
        Assert.Equal((null, reason), (ondc.SuggestedLine.Value, ondc.SuggestedLine.Unavailable));
        Assert.All(ins.Covers, c => Assert.Null(c.SumInsured.Value));
        Assert.Equal((null, null), (sip.MonthlySipCapacity.Value, sip.RiskBucket));
        Assert.All(app.Figures.Concat(ondc.Figures).Concat(ins.Figures).Concat(sip.Figures),
            f => Assert.True(f.Value is not null || f.Unavailable is not null, f.Name));
        Assert.Null(JsonDocument.Parse(app.Json).RootElement.GetProperty("loanApplications")[0].GetProperty("terms").GetProperty("requestedAmount").GetRawText() switch { "null" => null, var x => x });
    }

    [Fact]
    public void Growth_needs_six_months_and_says_so()
    {
        var insights = Seller(months: 4);
        var p = OndcProfileBuilder.Build(SurplusBase.Build(insights), insights);

        Assert.Null(p.Growth.Value);
        Assert.Equal("Growth compares two quarters: needs 6 complete months, the window has 4.", p.Growth.Unavailable);
        Assert.NotNull(p.SuggestedLine.Value);
    }

    [Fact]
    public void Ocen_json_has_the_loan_application_shape_and_field_names()
    {
        var insights = Seller();
        var app = OcenApplicationBuilder.Build(Borrower(), SurplusBase.Build(insights), insights, ["consent-1", "consent-2"], PreparedAt);

        var root = JsonDocument.Parse(app.Json).RootElement;
        Assert.Equal(["metadata", "productData", "loanApplications"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("4.0.0", root.GetProperty("metadata").GetProperty("version").GetString());
        var la = root.GetProperty("loanApplications")[0];
        var borrower = la.GetProperty("borrower");
        Assert.Equal(("AAAPS1234K", "PAN", "Sharma Traders", "INDIVIDUAL", "sharma@onemoney"), (
            borrower.GetProperty("primaryId").GetString(), borrower.GetProperty("primaryIdType").GetString(), borrower.GetProperty("name").GetString(),
            borrower.GetProperty("category").GetString(), borrower.GetProperty("aaIdentifier").GetString()));
        Assert.Equal(("UDYAM", "UDYAM-MH-12-0001234"), (borrower.GetProperty("additionalIdentifiers")[0].GetProperty("key").GetString(),
            borrower.GetProperty("additionalIdentifiers")[0].GetProperty("value").GetString()));
        var kyc = borrower.GetProperty("extensibleData").GetProperty("businessKyc");
        Assert.Equal(("UDYAM", "MICRO", "TRADING"), (kyc.GetProperty("type").GetString(), kyc.GetProperty("scale").GetString(), kyc.GetProperty("category").GetString()));
        var terms = la.GetProperty("terms");
        Assert.Equal(259_000m, terms.GetProperty("requestedAmount").GetDecimal());
        Assert.Equal("INR", terms.GetProperty("currency").GetString());
        Assert.Equal((24, "MONTH"), (terms.GetProperty("tenure").GetProperty("duration").GetInt32(), terms.GetProperty("tenure").GetProperty("unit").GetString()));
        Assert.Equal(JsonValueKind.Null, terms.GetProperty("interestRate").ValueKind);
        var doc = borrower.GetProperty("documents")[0];
        Assert.Equal(("AA", "onemoney", "JSON", "CASHFLOW_SUMMARY", true, "consent-1,consent-2"), (doc.GetProperty("source").GetString(),
            doc.GetProperty("sourceIdentifier").GetString(), doc.GetProperty("format").GetString(), doc.GetProperty("type").GetString(),
            doc.GetProperty("isDataInline").GetBoolean(), doc.GetProperty("reference").GetString()));
        var summary = JsonDocument.Parse(doc.GetProperty("data").GetString()!).RootElement;
        Assert.Equal(6, summary.GetProperty("monthly").GetArrayLength());
        Assert.Equal(62_500.00m, summary.GetProperty("stableMonthlySurplus").GetDecimal());
        Assert.Equal("2024-03", summary.GetProperty("monthly")[2].GetProperty("month").GetString());
        Assert.Equal(67_000.00m, summary.GetProperty("monthly")[2].GetProperty("freeCashflow").GetDecimal());
    }

    [Theory]
    [InlineData("AAAPS1234K", "INDIVIDUAL")]
    [InlineData("AAFCP9876Q", "ORGANIZATION")]
    [InlineData("AABFS1234K", "ORGANIZATION")]
    [InlineData("BAD", null)]
    [InlineData(null, null)]
    public void Borrower_category_comes_from_the_pan_holder_type(string? pan, string? category) =>
        Assert.Equal(category, BorrowerProfile.CategoryOf(pan));

    [Fact]
    public void Credit_products_are_underwriting_and_advice_needs_a_wealth_management_consent()
    {
        Assert.Equal(DataUse.Underwriting, ProductConsent.UseOf(DataProductNames.OcenLoanApplication));
        Assert.Equal(DataUse.Underwriting, ProductConsent.UseOf(DataProductNames.OndcSellerProfile));
        Assert.Equal(DataUse.Advisory, ProductConsent.UseOf(DataProductNames.InsuranceSuitability));
        Assert.Equal(DataUse.Advisory, ProductConsent.UseOf(DataProductNames.MutualFundSip));
        Assert.True(ConsentPurposes.Allows("101", DataUse.Advisory));
        Assert.False(ConsentPurposes.Allows("103", DataUse.Advisory));
        Assert.False(ConsentPurposes.Allows("104", DataUse.Advisory));
        Assert.False(ConsentPurposes.Allows("101", DataUse.Underwriting));
    }
}
