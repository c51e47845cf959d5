using System.Text.Json.Serialization;
using Msme.Domain.Analytics.Cashflow;
using static System.FormattableString;

namespace Msme.Domain.Ecosystem.Insurance;

/// <summary>One suggested cover: what, how much, why, and how urgent.</summary>
/// <param name="Type">"term-life" or "business-interruption".</param>
/// <param name="Priority">"high" or "normal".</param>
public sealed record CoverSuggestion(string Type, string Title, ProductFigure SumInsured, string Priority, string Reason);

/// <summary>Which covers suit the customer and at what amounts, from balances, income stability and premiums already paid.</summary>
/// <param name="ExistingPremiumPayees">Insurers paid monthly (recurring premium series), as evidence of existing cover.</param>
public sealed record InsuranceSuitability(
    string? Insufficient,
    IReadOnlyList<CoverSuggestion> Covers,
    ProductFigure AnnualisedPremiums,
    ProductFigure PremiumHeadroom,
    ProductFigure LiquidityMonths,
    IReadOnlyList<Commitment> ExistingPremiumPayees,
    string StabilityTier,
    IReadOnlyList<string> Notes)
{
    [JsonIgnore]
    public IReadOnlyList<ProductFigure> Figures => [.. Covers.Select(c => c.SumInsured), AnnualisedPremiums, PremiumHeadroom, LiquidityMonths];
}

/// <summary>
/// Suggests covers (docs/data-products.md):
/// <code>
/// term life (key person)  = 10 × 12 × stable monthly surplus, rounded down to ₹1,00,000
/// business interruption   = 6 × median monthly operating outflow, rounded down to ₹10,000;
///                           high priority when the account holds under 1 month of costs (liquidityMonths &lt; 1)
/// premium headroom        = max(0, 5% × 12 × stable monthly surplus − annualised premiums)
/// </code>
/// The sums insured of existing policies are not in a bank statement, so the suggestions are before netting them: the
/// premiums seen are shown so the adviser asks about those policies first.
/// </summary>
public static class InsuranceSuitabilityBuilder
{
    public const int LifeCoverYears = 10;
    public const int InterruptionMonths = 6;
    public const decimal PremiumBudgetShare = 0.05m;

    public static InsuranceSuitability Build(SurplusBase surplus)
    {
        ArgumentNullException.ThrowIfNull(surplus);
        var insufficient = surplus.Insufficient;
        var covers = new List<CoverSuggestion>();
        var notes = new List<string>();
        var s = surplus.StableMonthlySurplus.Value;

        var lifeWhy = new ExplanationBuilder();
        lifeWhy.Input("stable monthly surplus", ExplanationBuilder.Format(s));
        const string lifeFormula = "floor(10 × 12 × stable monthly surplus / 1,00,000) × 1,00,000";
        ProductFigure life;
        if (insufficient is not null)
        {
            lifeWhy.Narrate(insufficient);
            life = new("termLifeCover", null, "INR", lifeWhy.Build("termLifeCover", lifeFormula, "—"), insufficient);
        }
        else if (s <= 0m)
        {
            var reason = "The business leaves no surplus in a typical month: there is no income to replace, so no term cover is sized.";
            lifeWhy.Narrate(reason);
            life = new("termLifeCover", null, "INR", lifeWhy.Build("termLifeCover", lifeFormula, "—"), reason);
        }
        else
        {
            var value = Math.Floor(LifeCoverYears * 12m * s!.Value / 100_000m) * 100_000m;
            lifeWhy.Narrate(Invariant($"Ten years of what the business leaves the owner ({s.Value} a month) replaces the income if the key person dies."));
            life = new("termLifeCover", value, "INR", lifeWhy.Build("termLifeCover", lifeFormula, Invariant($"{value}")));
        }
        covers.Add(new CoverSuggestion("term-life", "Term life (key person)", life, "normal",
            "Protects the surplus the family and the lender rely on."));

        var biWhy = new ExplanationBuilder();
        var op = surplus.MedianOperatingOutflow.Value;
        biWhy.Input("median monthly operating outflow", ExplanationBuilder.Format(op));
        biWhy.Input("liquidity (months of costs in the account)", ExplanationBuilder.Format(surplus.LiquidityMonths.Value));
        const string biFormula = "floor(6 × median operating outflow / 10,000) × 10,000";
        ProductFigure bi;
        var priority = "normal";
        if (insufficient is not null || op is null || op <= 0m)
        {
            var reason = insufficient ?? "No operating outflow in a typical month: nothing to keep running.";
            biWhy.Narrate(reason);
            bi = new("businessInterruptionCover", null, "INR", biWhy.Build("businessInterruptionCover", biFormula, "—"), reason);
        }
        else
        {
            var value = Math.Floor(InterruptionMonths * op.Value / 10_000m) * 10_000m;
            if (surplus.LiquidityMonths.Value is { } l && l < 1m) priority = "high";
            biWhy.Narrate(Invariant($"Six months of running costs keep the business paying suppliers, staff and rent through a fire, flood or forced closure.{(priority == "high" ? " The account holds under a month of costs, so this comes first." : "")}"));
            bi = new("businessInterruptionCover", value, "INR", biWhy.Build("businessInterruptionCover", biFormula, Invariant($"{value}")));
        }
        covers.Add(new CoverSuggestion("business-interruption", "Business interruption (fire and allied perils with loss of profits)", bi, priority,
            priority == "high" ? "Thin cash buffer: a stoppage would hit at once." : "Keeps fixed costs paid while trade is stopped."));

        var headWhy = new ExplanationBuilder();
        headWhy.Input("stable monthly surplus", ExplanationBuilder.Format(s));
        headWhy.Input("annualised premiums already paid", ExplanationBuilder.Format(surplus.AnnualisedPremiums.Value));
        const string headFormula = "max(0, 0.05 × 12 × stable monthly surplus − annualised premiums)";
        ProductFigure headroom;
        if (insufficient is not null || s is null || surplus.AnnualisedPremiums.Value is null)
        {
            var reason = insufficient ?? "No stable surplus.";
            headWhy.Narrate(reason);
            headroom = new("premiumHeadroom", null, "INR", headWhy.Build("premiumHeadroom", headFormula, "—"), reason);
        }
        else
        {
            var value = Math.Round(Math.Max(0m, PremiumBudgetShare * 12m * s.Value - surplus.AnnualisedPremiums.Value.Value), 2, MidpointRounding.AwayFromZero);
            headWhy.Narrate(Invariant($"Up to 5% of the annual surplus can go to premiums; what is already paid comes off. {(value == 0m ? "Premiums already use that budget." : "")}").TrimEnd());
            headroom = new("premiumHeadroom", value, "INR", headWhy.Build("premiumHeadroom", headFormula, Invariant($"{value}")));
        }

        if (surplus.AnnualisedPremiums.Value > 0m)
            notes.Add("Premiums are already paid from these accounts: ask about those policies' sums insured before selling more cover (a statement does not show them).");
        if (surplus.StabilityTier is "Low" or "VeryLow")
            notes.Add(Invariant($"Income stability is {surplus.StabilityTier}: prefer monthly premiums on a mandate over one annual premium."));
        return new InsuranceSuitability(insufficient, covers, surplus.AnnualisedPremiums, headroom, surplus.LiquidityMonths,
            [.. surplus.Premiums], surplus.StabilityTier, notes);
    }
}
