using System.Globalization;
using Msme.Domain.Ecosystem;
using Msme.Portal.Components.Shared;

namespace Msme.Portal.Features.Ecosystem;

/// <summary>How a product figure reads on screen: its label, and its value in the figure's unit ("—" when unavailable).</summary>
public static class ProductFormat
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["stableMonthlySurplus"] = "Stable monthly surplus",
        ["existingMonthlyEmis"] = "Existing EMIs / month",
        ["existingMonthlySips"] = "Existing SIPs / month",
        ["affordableEmi"] = "Affordable new EMI",
        ["tenureMonths"] = "Tenure",
        ["loanAmountForEmi"] = "Loan the EMI repays",
        ["turnoverCap"] = "Turnover cap (20%)",
        ["requestedAmount"] = "Requested amount",
        ["averageMonthlyReceipts"] = "Receipts / month",
        ["averageMonthlyReceiptCount"] = "Receipt lines / month",
        ["settlementShare"] = "Network settlements",
        ["receiptGrowth"] = "Growth (quarter on quarter)",
        ["peakToMedian"] = "Peak month vs median",
        ["refundRatio"] = "Refunds and reversals",
        ["top5PayerShare"] = "Top-5 payer share",
        ["payerHhi"] = "Payer concentration (HHI)",
        ["suggestedWorkingCapitalLine"] = "Suggested working-capital line",
        ["termLifeCover"] = "Sum insured",
        ["businessInterruptionCover"] = "Sum insured",
        ["annualisedPremiums"] = "Premiums paid / year",
        ["premiumHeadroom"] = "Premium headroom / year",
        ["liquidityMonths"] = "Cash buffer",
        ["monthlySipCapacity"] = "Monthly SIP capacity",
    };

    public static string Label(string name) => Labels.GetValueOrDefault(name, name);

    public static string Value(ProductFigure f) => f.Value is not { } v ? IndianFormat.Money(null) : f.Unit switch
    {
        "INR" => IndianFormat.Money(v),
        "ratio" => (v * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%",
        "index" => v.ToString("0.0000", CultureInfo.InvariantCulture),
        "multiple" => v.ToString("0.00", CultureInfo.InvariantCulture) + "×",
        "months" => v.ToString("0.#", CultureInfo.InvariantCulture) + " months",
        _ => v.ToString("0.#", CultureInfo.InvariantCulture),
    };
}
