using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;

namespace Msme.Domain.Tests.Collections.Actions;

public class ActionEffectTests
{
    private static List<ActionOutcome> Outcomes(ActionKind kind, int paid, int unpaid) =>
        [.. Enumerable.Range(0, paid).Select(_ => new ActionOutcome(kind, new DateOnly(2026, 11, 1), true)),
         .. Enumerable.Range(0, unpaid).Select(_ => new ActionOutcome(kind, new DateOnly(2026, 11, 1), false))];

    [Fact]
    public void Below_thirty_outcomes_the_effect_is_the_assumption_and_says_so()
    {
        var effects = ActionEffects.Measure(Outcomes(ActionKind.Call, 20, 9), 10, 100);
        var call = effects.For(ActionKind.Call);
        Assert.False(call.Measured);
        Assert.Equal(29, call.Outcomes);
        Assert.Equal(Recommender.CallEffect, call.Effect);
        Assert.Equal("assumed until 30 outcomes are logged (29 so far)", call.Basis);
    }

    [Fact]
    public void From_thirty_outcomes_the_effect_is_the_paid_share_minus_the_controls()
    {
        var effects = ActionEffects.Measure([.. Outcomes(ActionKind.Call, 12, 18), .. Outcomes(ActionKind.Reminder, 1, 2)], 25, 100);
        var call = effects.For(ActionKind.Call);
        Assert.True(call.Measured);
        Assert.Equal(30, call.Outcomes);
        Assert.Equal(0.40 - 0.25, call.Effect, 10);
        Assert.Equal("measured over 30 outcomes: 12 paid within 7 days (0.40) vs 25 of 100 without an action (0.25)", call.Basis);
        Assert.False(effects.For(ActionKind.Reminder).Measured);
        Assert.Equal(Recommender.ReminderEffect, effects.For(ActionKind.Reminder).Effect);
    }

    [Fact]
    public void A_measured_effect_may_be_negative()
    {
        var e = ActionEffects.Measure(Outcomes(ActionKind.FieldVisit, 3, 27), 50, 100).For(ActionKind.FieldVisit);
        Assert.True(e.Measured);
        Assert.Equal(0.1 - 0.5, e.Effect, 10);
    }

    [Fact]
    public void Without_a_control_the_effect_stays_assumed()
    {
        var e = ActionEffects.Measure(Outcomes(ActionKind.Reminder, 30, 10), 0, 0).For(ActionKind.Reminder);
        Assert.False(e.Measured);
        Assert.Equal(40, e.Outcomes);
    }
}
