using System.Text.Json.Serialization;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using static System.FormattableString;

namespace Msme.Domain.Ecosystem.Ocen;

/// <summary>Business KYC as OCEN carries it: the Udyam registration with its scale and category.</summary>
public sealed record BusinessKyc(string Type, string? Id, string? Scale, string? Category);

/// <summary>
/// An OCEN 4.0 loan application prepared from AA data: borrower and business KYC from the customer record, the
/// requested amount and tenure sized from the stable surplus, and the cashflow summary as an inline document.
/// </summary>
/// <param name="Insufficient">Why the terms could not be sized; null when they were.</param>
/// <param name="Missing">Application fields the customer record lacks (left empty in the JSON).</param>
/// <param name="CashflowSummaryJson">The inline document (also embedded in <paramref name="Json"/>).</param>
/// <param name="Json">The application shaped like OCEN's CreateLoanApplication request.</param>
public sealed record OcenLoanApplication(
    string? Insufficient,
    BorrowerProfile Borrower,
    BusinessKyc BusinessKyc,
    IReadOnlyList<string> Missing,
    ProductFigure StableMonthlySurplus,
    ProductFigure ExistingMonthlyEmis,
    ProductFigure AffordableEmi,
    ProductFigure TenureMonths,
    ProductFigure LoanAmountForEmi,
    ProductFigure TurnoverCap,
    ProductFigure RequestedAmount,
    decimal AssumedAnnualRate,
    string CashflowSummaryJson,
    string Json)
{
    [JsonIgnore]
    public IReadOnlyList<ProductFigure> Figures => [StableMonthlySurplus, ExistingMonthlyEmis, AffordableEmi, TenureMonths, LoanAmountForEmi, TurnoverCap, RequestedAmount];
}

/// <summary>
/// Sizes and writes the OCEN application. The sizing (docs/data-products.md):
/// <code>
/// affordable EMI   = max(0, k × stable monthly surplus − existing EMIs)          k = 0.50
/// tenure           = 24 / 18 / 12 / 6 months for income confidence High / Medium / Low / VeryLow
/// loan for the EMI = EMI × (1 − (1 + r)^−n) / r                                   r = 18% / 12 per month, n = tenure
/// turnover cap     = 0.20 × 12 × average monthly inflow                           (the Nayak committee's 20% of turnover)
/// requested amount = min(loan for the EMI, turnover cap), rounded down to ₹1,000
/// </code>
/// The rate is an assumption for sizing only; the lender prices the loan, so the JSON leaves interestRate empty.
/// </summary>
public static class OcenApplicationBuilder
{
    public const decimal DebtServiceShare = 0.50m;
    public const decimal AssumedAnnualRate = 0.18m;
    public const decimal TurnoverShare = 0.20m;
    public const decimal RoundTo = 1_000m;
    public const string SchemaVersion = "4.0.0";

    // A file for a lender's system, not HTML: keep "+05:30" and "₹" readable instead of \u-escaped.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int TenureFor(string confidence) => confidence switch
    {
        "High" => 24,
        "Medium" => 18,
        "Low" => 12,
        _ => 6,
    };

    /// <param name="consentIds">The AA consents whose data the figures were computed from (the document's reference).</param>
    public static OcenLoanApplication Build(BorrowerProfile borrower, SurplusBase surplus, AccountInsights combined,
        IReadOnlyList<string> consentIds, DateTimeOffset preparedAt)
    {
        ArgumentNullException.ThrowIfNull(borrower);
        ArgumentNullException.ThrowIfNull(surplus);
        ArgumentNullException.ThrowIfNull(combined);
        var insufficient = surplus.Insufficient ?? (surplus.StableMonthlySurplus.Value is null ? surplus.StableMonthlySurplus.Unavailable : null);
        var emi = AffordableEmi(surplus, insufficient);
        var tenure = Tenure(surplus, insufficient);
        var pv = PresentValue(emi, tenure, insufficient);
        var cap = Cap(surplus, insufficient);
        var requested = Requested(pv, cap, insufficient);
        var kyc = new BusinessKyc("UDYAM", borrower.Udyam, borrower.Scale, borrower.BusinessCategory);
        var missing = new List<string>();
        if (borrower.Pan is null) missing.Add("borrower.primaryId (PAN)");
        if (borrower.Name is null) missing.Add("borrower.name");
        if (borrower.Category is null) missing.Add("borrower.category (needs a valid PAN)");
        if (borrower.Udyam is null) missing.Add("businessKyc.id (Udyam)");
        if (borrower.Scale is null) missing.Add("businessKyc.scale");
        if (borrower.BusinessCategory is null) missing.Add("businessKyc.category");
        var summary = CashflowSummary(surplus, combined, consentIds);
        var json = Application(borrower, kyc, requested, tenure, summary, consentIds, preparedAt);
        return new OcenLoanApplication(insufficient, borrower, kyc, missing, surplus.StableMonthlySurplus, surplus.ExistingEmis,
            emi, tenure, pv, cap, requested, AssumedAnnualRate, summary.ToJsonString(Indented), json.ToJsonString(Indented));
    }

    private static ProductFigure AffordableEmi(SurplusBase s, string? insufficient)
    {
        var why = new ExplanationBuilder();
        why.Input("stable monthly surplus", ExplanationBuilder.Format(s.StableMonthlySurplus.Value));
        why.Input("k (share of surplus for debt service)", DebtServiceShare);
        why.Input("existing monthly EMIs", ExplanationBuilder.Format(s.ExistingEmis.Value));
        const string formula = "max(0, k × stable monthly surplus − existing EMIs)";
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            return new("affordableEmi", null, "INR", why.Build("affordableEmi", formula, "—"), insufficient);
        }
        var raw = DebtServiceShare * s.StableMonthlySurplus.Value!.Value - s.ExistingEmis.Value!.Value;
        var value = Rounding.Money(Math.Max(0m, raw));
        why.Narrate(value == 0m
            ? Invariant($"Half the stable surplus ({DebtServiceShare * s.StableMonthlySurplus.Value.Value:0.00}) is already taken by existing EMIs: no room for a new EMI.")
            : Invariant($"Half of the stable surplus may go to debt service; existing EMIs take {s.ExistingEmis.Value.Value}, leaving {value} a month."));
        return new("affordableEmi", value, "INR", why.Build("affordableEmi", formula, Invariant($"{value}")));
    }

    private static ProductFigure Tenure(SurplusBase s, string? insufficient)
    {
        var why = new ExplanationBuilder();
        why.Input("income confidence", s.IncomeConfidence);
        foreach (var i in s.IncomeConfidenceExplanation.Inputs) why.Input(i.Label, i.Value);
        const string formula = "High 24, Medium 18, Low 12, VeryLow 6 months";
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            return new("tenureMonths", null, "months", why.Build("tenureMonths", formula, "—"), insufficient);
        }
        var months = TenureFor(s.IncomeConfidence);
        why.Narrate(Invariant($"Income confidence {s.IncomeConfidence} ({s.IncomeConfidenceExplanation.Narrative}): the steadier the income, the longer the tenure it can carry."));
        return new("tenureMonths", months, "months", why.Build("tenureMonths", formula, Invariant($"{months}")));
    }

    /// <summary>Present value of n monthly payments at rate r: EMI × (1 − (1 + r)^−n) / r, in decimal.</summary>
    public static decimal AnnuityFactor(decimal monthlyRate, int months)
    {
        var growth = 1m;
        for (var i = 0; i < months; i++) growth *= 1m + monthlyRate;
        return (1m - 1m / growth) / monthlyRate;
    }

    private static ProductFigure PresentValue(ProductFigure emi, ProductFigure tenure, string? insufficient)
    {
        var why = new ExplanationBuilder();
        var r = AssumedAnnualRate / 12m;
        why.Input("affordable EMI", ExplanationBuilder.Format(emi.Value));
        why.Input("n (tenure, months)", ExplanationBuilder.Format(tenure.Value));
        why.Input("r (assumed 18% a year / 12)", r);
        const string formula = "EMI × (1 − (1 + r)^−n) / r";
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            return new("loanAmountForEmi", null, "INR", why.Build("loanAmountForEmi", formula, "—"), insufficient);
        }
        var factor = AnnuityFactor(r, (int)tenure.Value!.Value);
        why.Input("annuity factor", Rounding.Ratio(factor));
        var value = Rounding.Money(emi.Value!.Value * factor);
        why.Narrate(Invariant($"The loan that {emi.Value} a month repays over {tenure.Value} months at an assumed 18% a year (reducing balance). The lender prices the loan; the rate only sizes the request."));
        return new("loanAmountForEmi", value, "INR", why.Build("loanAmountForEmi", formula, Invariant($"{value}")));
    }

    private static ProductFigure Cap(SurplusBase s, string? insufficient)
    {
        var why = new ExplanationBuilder();
        why.Input("average monthly inflow (window)", ExplanationBuilder.Format(s.AverageMonthlyInflow.Value));
        why.Input("share of annual turnover", TurnoverShare);
        const string formula = "0.20 × 12 × average monthly inflow";
        if (insufficient is not null || s.AverageMonthlyInflow.Value is null)
        {
            var reason = insufficient ?? s.AverageMonthlyInflow.Unavailable!;
            why.Narrate(reason);
            return new("turnoverCap", null, "INR", why.Build("turnoverCap", formula, "—"), reason);
        }
        var value = Rounding.Money(TurnoverShare * 12m * s.AverageMonthlyInflow.Value.Value);
        why.Narrate("Working capital is capped at 20% of annual turnover (the Nayak committee norm for MSME limits), with turnover read as 12 × the average month's credits.");
        return new("turnoverCap", value, "INR", why.Build("turnoverCap", formula, Invariant($"{value}")));
    }

    private static ProductFigure Requested(ProductFigure pv, ProductFigure cap, string? insufficient)
    {
        var why = new ExplanationBuilder();
        why.Input("loan for the affordable EMI", ExplanationBuilder.Format(pv.Value));
        why.Input("turnover cap", ExplanationBuilder.Format(cap.Value));
        const string formula = "floor(min(loan for the EMI, turnover cap) / 1,000) × 1,000";
        if (insufficient is not null || pv.Value is null || cap.Value is null)
        {
            var reason = insufficient ?? pv.Unavailable ?? cap.Unavailable!;
            why.Narrate(reason);
            return new("requestedAmount", null, "INR", why.Build("requestedAmount", formula, "—"), reason);
        }
        var min = Math.Min(pv.Value.Value, cap.Value.Value);
        var value = Math.Floor(min / RoundTo) * RoundTo;
        why.Narrate(value == 0m
            ? "Nothing to request: the surplus left after existing EMIs supports no new loan."
            : pv.Value.Value <= cap.Value.Value
                ? Invariant($"The EMI the surplus affords sets the amount ({pv.Value.Value}), under the turnover cap; rounded down to ₹1,000.")
                : Invariant($"The turnover cap ({cap.Value.Value}) binds before the affordable EMI does; rounded down to ₹1,000."));
        return new("requestedAmount", value, "INR", why.Build("requestedAmount", formula, Invariant($"{value}")));
    }

    private static JsonObject CashflowSummary(SurplusBase s, AccountInsights combined, IReadOnlyList<string> consentIds)
    {
        var m = combined.Contract.Metrics;
        var coverage = combined.Contract.Coverage;
        return new JsonObject
        {
            ["documentType"] = "CASHFLOW_SUMMARY",
            ["contractVersion"] = 1,
            ["source"] = "ACCOUNT_AGGREGATOR",
            ["consentIds"] = new JsonArray([.. consentIds.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["coverage"] = coverage is null ? null : new JsonObject
            {
                ["from"] = coverage.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["to"] = coverage.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            ["insufficientHistory"] = s.Insufficient is not null,
            ["monthly"] = new JsonArray([.. s.Months.Select(x => (JsonNode?)new JsonObject
            {
                ["month"] = x.Month.ToString(),
                ["inflow"] = x.Inflow,
                ["outflow"] = x.Outflow,
                ["emiDebits"] = x.EmiDebits,
                ["sipDebits"] = x.SipDebits,
                ["premiumDebits"] = x.PremiumDebits,
                ["freeCashflow"] = x.FreeCashflow,
            })]),
            ["metrics"] = new JsonObject
            {
                ["avgMonthlyInflow"] = m.AvgMonthlyInflow,
                ["medianMonthlyInflow"] = m.MedianMonthlyInflow,
                ["incomeCv"] = m.IncomeCv,
                ["surplusRatio"] = m.SurplusRatio,
                ["averageBalance"] = m.AverageBalance,
                ["stabilityTier"] = m.StabilityTier.ToString(),
            },
            ["stableMonthlySurplus"] = s.StableMonthlySurplus.Value,
            ["existingMonthlyEmis"] = s.ExistingEmis.Value,
            ["bounceCharges"] = combined.Emi.BounceCount,
        };
    }

    private static JsonObject Application(BorrowerProfile b, BusinessKyc kyc, ProductFigure requested, ProductFigure tenure, JsonObject summary,
        IReadOnlyList<string> consentIds, DateTimeOffset preparedAt)
    {
        var aa = b.AaHandle.Contains('@', StringComparison.Ordinal) ? b.AaHandle[(b.AaHandle.IndexOf('@', StringComparison.Ordinal) + 1)..] : null;
        var timestamp = preparedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            // Filled by the loan agent / network when the application is sent: left empty here.
            ["metadata"] = new JsonObject
            {
                ["version"] = SchemaVersion,
                ["originatorOrgId"] = null,
                ["originatorParticipantId"] = null,
                ["timestamp"] = timestamp,
                ["traceId"] = null,
                ["requestId"] = null,
            },
            ["productData"] = new JsonObject { ["productId"] = null, ["productNetworkId"] = null },
            ["loanApplications"] = new JsonArray(new JsonObject
            {
                ["loanApplicationId"] = null,
                ["createdDate"] = timestamp,
                ["borrower"] = new JsonObject
                {
                    ["primaryId"] = b.Pan,
                    ["primaryIdType"] = "PAN",
                    ["name"] = b.Name,
                    ["category"] = b.Category,
                    ["aaIdentifier"] = b.AaHandle,
                    ["additionalIdentifiers"] = new JsonArray(new JsonObject { ["key"] = "UDYAM", ["value"] = kyc.Id }),
                    ["documents"] = new JsonArray(new JsonObject
                    {
                        ["source"] = "AA",
                        ["sourceIdentifier"] = aa,
                        ["format"] = "JSON",
                        ["reference"] = string.Join(",", consentIds),
                        ["type"] = "CASHFLOW_SUMMARY",
                        ["isDataInline"] = true,
                        ["data"] = summary.ToJsonString(Compact),
                    }),
                    ["extensibleData"] = new JsonObject
                    {
                        ["businessKyc"] = new JsonObject
                        {
                            ["type"] = kyc.Type,
                            ["id"] = kyc.Id,
                            ["scale"] = kyc.Scale,
                            ["category"] = kyc.Category,
                        },
                    },
                },
                ["terms"] = new JsonObject
                {
                    ["requestedAmount"] = requested.Value,
                    ["currency"] = "INR",
                    ["tenure"] = new JsonObject { ["duration"] = tenure.Value is { } n ? (int)n : null, ["unit"] = "MONTH" },
                    ["interestType"] = "FIXED",
                    // Priced by the lender.
                    ["interestRate"] = null,
                    ["sanctionedAmount"] = null,
                    ["description"] = Invariant($"Requested amount sized from AA cashflow: an EMI of at most half the stable monthly surplus less existing EMIs, over the tenure at an assumed {AssumedAnnualRate * 100:0}% a year, capped at 20% of annual turnover."),
                },
                ["extensibleData"] = new JsonObject
                {
                    ["consentReferences"] = new JsonObject
                    {
                        ["bank"] = new JsonArray([.. consentIds.Select(c => (JsonNode?)JsonValue.Create(c))]),
                        ["gst"] = null,
                    },
                },
            }),
        };
    }
}
