using System.Globalization;

namespace Msme.Domain.Collections.Actions;

/// <summary>The contact actions whose effect is measured from logged outcomes.</summary>
public enum ActionKind { Reminder, Call, FieldVisit, UpiLink }

/// <summary>One logged action on an instalment and whether the instalment was paid within the outcome window after it.</summary>
public sealed record ActionOutcome(ActionKind Action, DateOnly Date, bool Paid);

/// <summary>An action's expected effect on the collection probability, and where the number comes from.</summary>
/// <param name="Outcomes">Logged outcomes of the action (treated instalments).</param>
/// <param name="Measured">True when at least <see cref="ActionEffects.MinOutcomes"/> outcomes stand behind the effect.</param>
public sealed record ActionEffect(ActionKind Action, double Effect, int Outcomes, bool Measured, string Basis);

/// <summary>
/// Measured effects of contact actions (docs/collection-actions.md §4). An action's outcome is whether the instalment
/// it was about was paid within <see cref="OutcomeDays"/> days (the book's payment date, or an agent's "Paid"
/// disposition). The effect is the paid share after the action minus the paid share of the control: unpaid
/// instalments of the same book with no action in that time. This is an observational difference, not a randomised
/// uplift (agents choose whom to contact); with fewer than <see cref="MinOutcomes"/> outcomes the documented
/// assumption stands and is labelled "assumed".
/// </summary>
public sealed class ActionEffects
{
    public const int MinOutcomes = 30;
    public const int OutcomeDays = 7;

    private readonly Dictionary<ActionKind, ActionEffect> _effects;

    private ActionEffects(Dictionary<ActionKind, ActionEffect> effects) => _effects = effects;

    /// <summary>No outcomes logged: every effect is the documented assumption.</summary>
    public static ActionEffects Assumed { get; } = Measure([], 0, 0);

    /// <summary>The assumption an action's effect falls back to (Recommender's constants; the UPI link's is computed per instalment, see <see cref="Recommender"/>).</summary>
    public static double AssumedEffect(ActionKind action) => action switch
    {
        ActionKind.Reminder => Recommender.ReminderEffect,
        ActionKind.Call => Recommender.CallEffect,
        ActionKind.FieldVisit => Recommender.FieldVisitEffect,
        _ => 0,
    };

    public static ActionEffects Measure(IReadOnlyCollection<ActionOutcome> outcomes, int controlPaid, int controlTotal)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (controlPaid < 0 || controlTotal < controlPaid) throw new ArgumentException($"control {controlPaid} paid of {controlTotal} is not a share");
        var control = controlTotal == 0 ? (double?)null : (double)controlPaid / controlTotal;
        var effects = new Dictionary<ActionKind, ActionEffect>();
        foreach (var kind in Enum.GetValues<ActionKind>())
        {
            var mine = outcomes.Where(o => o.Action == kind).ToList();
            var paid = mine.Count(o => o.Paid);
            if (mine.Count >= MinOutcomes && control is { } c)
            {
                var rate = (double)paid / mine.Count;
                effects[kind] = new(kind, rate - c, mine.Count, true, string.Create(CultureInfo.InvariantCulture,
                    $"measured over {mine.Count} outcomes: {paid} paid within {OutcomeDays} days ({rate:0.00}) vs {controlPaid} of {controlTotal} without an action ({c:0.00})"));
            }
            else
            {
                effects[kind] = new(kind, AssumedEffect(kind), mine.Count, false, mine.Count >= MinOutcomes
                    ? $"assumed: {mine.Count} outcomes logged but no control instalments to compare with"
                    : $"assumed until {MinOutcomes} outcomes are logged ({mine.Count} so far)");
            }
        }
        return new(effects);
    }

    public ActionEffect For(ActionKind action) => _effects[action];

    public IReadOnlyList<ActionEffect> All => [.. _effects.Values.OrderBy(e => e.Action)];

    /// <summary>Changes exactly when an effect, its source or its count changes: part of the cache key of anything that quotes them.</summary>
    public string Stamp => string.Join('|', All.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Action}:{(e.Measured ? 'm' : 'a')}:{e.Effect:R}:{e.Outcomes}")));
}
