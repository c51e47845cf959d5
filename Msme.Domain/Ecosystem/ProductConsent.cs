using Msme.Domain.Consent;

namespace Msme.Domain.Ecosystem;

/// <summary>
/// Which data use each product is: the two credit products are underwriting (purposes 103, 104, 105); insurance and
/// mutual-fund suggestions are advisory, allowed only under 101 (wealth management service). A product reads only data
/// whose consent allows its use, so one customer may have some products and not others.
/// </summary>
public static class ProductConsent
{
    public static DataUse UseOf(string product) => product switch
    {
        DataProductNames.OcenLoanApplication or DataProductNames.OndcSellerProfile => DataUse.Underwriting,
        DataProductNames.InsuranceSuitability or DataProductNames.MutualFundSip => DataUse.Advisory,
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, "unknown data product"),
    };

    /// <summary>The sentence shown instead of figures when no active consent allows the product's use.</summary>
    public static string NotPermittedReason(string product)
    {
        var use = UseOf(product);
        var codes = ConsentPurposes.Allowed[use];
        var purposes = codes.Count == 1 ? codes[0] : string.Join(", ", codes.Take(codes.Count - 1)) + " or " + codes[^1];
        return $"{(use == DataUse.Underwriting ? "A credit product" : "An advisory product")} reads only data consented for purpose {purposes}; no ACTIVE consent of this customer with that purpose delivered data.";
    }
}
