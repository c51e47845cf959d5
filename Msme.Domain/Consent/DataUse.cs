namespace Msme.Domain.Consent;

/// <summary>What the lender uses AA data for. Each use is allowed only under consents whose purpose covers it.</summary>
public enum DataUse
{
    /// <summary>Monitoring an existing loan: collections, risk signals, anomaly review.</summary>
    Monitoring,
    /// <summary>Assessing credit: underwriting, ecosystem loan applications (OCEN, ONDC seller credit profile).</summary>
    Underwriting,
    /// <summary>Advising on insurance and investments from the customer's cashflow (insurance suitability, SIP capacity).</summary>
    Advisory,
}

/// <summary>
/// The purpose map (Sahamati purpose codes): 104 "explicit consent for monitoring of the accounts" allows monitoring;
/// 103 "aggregated statement" and 105 "explicit one-time consent" allow underwriting; 104 also allows underwriting a
/// renewal of the loan it monitors. 101 (wealth management service) allows advisory (insurance and mutual-fund
/// suggestions) and nothing else; no credit purpose allows advisory, which is marketing a further product.
/// 102 (spending patterns) allows none of these.
/// </summary>
public static class ConsentPurposes
{
    public static readonly IReadOnlyDictionary<DataUse, IReadOnlyList<string>> Allowed = new Dictionary<DataUse, IReadOnlyList<string>>
    {
        [DataUse.Monitoring] = ["104"],
        [DataUse.Underwriting] = ["103", "104", "105"],
        [DataUse.Advisory] = ["101"],
    };

    /// <summary>What the portal derives from data under each use: the data passport shows it per consent.</summary>
    public static readonly IReadOnlyDictionary<DataUse, IReadOnlyList<string>> Derives = new Dictionary<DataUse, IReadOnlyList<string>>
    {
        [DataUse.Monitoring] = ["Smart Collect forecasts and recommendations", "Risk signals on existing loans", "Loan reconciliation (instalments seen paid)"],
        [DataUse.Underwriting] = ["Cashflow analytics (contract figures)", "Behavioural insights and anomalies", "Portfolio risk dashboard", "OCEN loan application and ONDC seller credit profile"],
        [DataUse.Advisory] = ["Insurance suitability", "Mutual-fund SIP capacity"],
    };

    /// <summary>The uses a purpose code allows, in declaration order.</summary>
    public static IReadOnlyList<DataUse> UsesOf(string? purposeCode) => [.. Enum.GetValues<DataUse>().Where(u => Allows(purposeCode, u))];

    public static bool Allows(string? purposeCode, DataUse use) => purposeCode is not null && Allowed[use].Contains(purposeCode);

    /// <summary>Data may be used only while its consent is ACTIVE and unexpired: PAUSED hides it until resumed, REVOKED and EXPIRED for good.</summary>
    public static bool Usable(ConsentStatus status, DateTimeOffset? expiry, DateTimeOffset now) =>
        status == ConsentStatus.Active && (expiry is null || expiry > now);
}
