using System.Text.Json.Serialization;
using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Ecosystem;

/// <summary>
/// One figure of a data product with the explanation that produced it. <see cref="Value"/> is null exactly when the
/// data cannot support the figure, and then <see cref="Unavailable"/> says why: nothing is ever invented.
/// </summary>
/// <param name="Name">Stable camelCase name (part of the JSON shape), e.g. "stableMonthlySurplus".</param>
/// <param name="Unit">"INR", "ratio" (a share, 0..1), "index" (HHI, 0..1), "multiple", "months" or "count".</param>
public sealed record ProductFigure(string Name, decimal? Value, string Unit, Explanation Explanation, string? Unavailable = null)
{
    [JsonIgnore]
    public bool Available => Value is not null;
}

/// <summary>
/// How a product stands for one customer: computed; too little data to size it; not allowed by the customer's consents;
/// or no AA data received at all. Serialised by name: the names are part of the API's JSON.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProductState>))]
public enum ProductState { Ready, InsufficientData, NotPermitted, NoData }

/// <summary>Names of the data products: stable, they are the route segments and JSON keys the API will expose.</summary>
public static class DataProductNames
{
    public const string OcenLoanApplication = "ocen-loan-application";
    public const string OndcSellerProfile = "ondc-seller-profile";
    public const string InsuranceSuitability = "insurance-suitability";
    public const string MutualFundSip = "mutual-fund-sip";
}
