using System.Text.Json.Serialization;
using Msme.Domain.Analytics.Cashflow;
using static System.FormattableString;

namespace Msme.Domain.Ecosystem.MutualFunds;

/// <summary>How much the customer can put into a monthly SIP, and which risk bucket suits their income.</summary>
/// <param name="RiskBucket">"Aggressive", "Moderate", "Conservative" or "Liquid"; null when the data is insufficient.</param>
public sealed record SipCapacity(
    string? Insufficient,
    ProductFigure StableMonthlySurplus,
    ProductFigure ExistingMonthlyEmis,
    ProductFigure ExistingMonthlySips,
    ProductFigure MonthlySipCapacity,
    string? RiskBucket,
    Explanation RiskBucketExplanation,
    IReadOnlyList<Commitment> ExistingSips)
{
    [JsonIgnore]
    public IReadOnlyList<ProductFigure> Figures => [StableMonthlySurplus, ExistingMonthlyEmis, ExistingMonthlySips, MonthlySipCapacity];
}

/// <summary>
/// SIP capacity (docs/data-products.md):
/// <code>
/// free surplus  = stable monthly surplus − existing EMIs − existing SIPs
/// SIP capacity  = floor(0.5 × free surplus / 100) × 100; 0 when under the ₹500 minimum SIP
/// risk bucket   = income confidence High → Aggressive, Medium → Moderate, Low → Conservative, VeryLow → Liquid
/// </code>
/// Half the free surplus stays as a buffer: an MSME's cash needs swing, and a SIP stopped after three months helps no one.
/// </summary>
public static class SipCapacityBuilder
{
    public const decimal InvestableShare = 0.50m;
    public const decimal MinimumSip = 500m;

    public static string BucketFor(string confidence) => confidence switch
    {
        "High" => "Aggressive",
        "Medium" => "Moderate",
        "Low" => "Conservative",
        _ => "Liquid",
    };

    public static SipCapacity Build(SurplusBase surplus)
    {
        ArgumentNullException.ThrowIfNull(surplus);
        var insufficient = surplus.Insufficient;
        var why = new ExplanationBuilder();
        var s = surplus.StableMonthlySurplus.Value;
        why.Input("stable monthly surplus", ExplanationBuilder.Format(s));
        why.Input("existing monthly EMIs", ExplanationBuilder.Format(surplus.ExistingEmis.Value));
        why.Input("existing monthly SIPs", ExplanationBuilder.Format(surplus.ExistingSips.Value));
        why.Input("investable share", InvestableShare);
        const string formula = "floor(0.5 × (stable surplus − EMIs − SIPs) / 100) × 100, 0 under ₹500";
        ProductFigure capacity;
        if (insufficient is not null)
        {
            why.Narrate(insufficient);
            capacity = new("monthlySipCapacity", null, "INR", why.Build("monthlySipCapacity", formula, "—"), insufficient);
        }
        else
        {
            var free = s!.Value - surplus.ExistingEmis.Value!.Value - surplus.ExistingSips.Value!.Value;
            why.Input("free surplus", free);
            var value = Math.Max(0m, Math.Floor(InvestableShare * free / 100m) * 100m);
            if (value < MinimumSip)
            {
                why.Narrate(free <= 0m
                    ? "EMIs and SIPs already take the whole stable surplus: no room for another SIP."
                    : Invariant($"Half the free surplus is under the ₹{MinimumSip:0} minimum SIP."));
                value = 0m;
            }
            else
            {
                why.Narrate(Invariant($"After EMIs and existing SIPs, {free} a month is free; half of it can go into a SIP, rounded down to ₹100."));
            }
            capacity = new("monthlySipCapacity", value, "INR", why.Build("monthlySipCapacity", formula, Invariant($"{value}")));
        }

        var bucketWhy = new ExplanationBuilder();
        bucketWhy.Input("income confidence", surplus.IncomeConfidence);
        foreach (var i in surplus.IncomeConfidenceExplanation.Inputs) bucketWhy.Input(i.Label, i.Value);
        string? bucket = null;
        if (insufficient is not null) bucketWhy.Narrate(insufficient);
        else
        {
            bucket = BucketFor(surplus.IncomeConfidence);
            bucketWhy.Narrate(bucket switch
            {
                "Aggressive" => "Steady income over a long history can ride out equity swings: equity-oriented funds.",
                "Moderate" => "Fairly steady income: hybrid funds balance growth and drawdowns.",
                "Conservative" => "Uneven income may force early redemptions: debt-oriented funds.",
                _ => "Income too uneven (or history too short) to lock money in: liquid or overnight funds only.",
            });
        }
        return new SipCapacity(insufficient, surplus.StableMonthlySurplus, surplus.ExistingEmis, surplus.ExistingSips, capacity, bucket,
            bucketWhy.Build("riskBucket", "income confidence High → Aggressive, Medium → Moderate, Low → Conservative, VeryLow → Liquid", bucket ?? "—"),
            [.. surplus.Sips]);
    }
}
