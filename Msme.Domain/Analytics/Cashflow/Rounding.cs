namespace Msme.Domain.Analytics.Cashflow;

/// <summary>The contract's rounding: money to 2 places, ratios and scores to 6, half away from zero.</summary>
/// <remarks>
/// Results carry a fixed scale (100000 becomes 100000.00) so that writers which preserve decimal scale,
/// like Utf8JsonWriter, print exactly what the contract shows; and a rounded negative zero is made a plain zero
/// so nobody reads "-0.00" in a report.
/// </remarks>
public static class Rounding
{
    public static decimal Money(decimal value) => Fix(Math.Round(value, 2, MidpointRounding.AwayFromZero), 0.00m);

    public static decimal Ratio(decimal value) => Fix(Math.Round(value, 6, MidpointRounding.AwayFromZero), 0.000000m);

    public static decimal? Money(decimal? value) => value is { } v ? Money(v) : null;

    public static decimal? Ratio(decimal? value) => value is { } v ? Ratio(v) : null;

    // Adding a zero of the wanted scale raises the scale (decimal addition keeps the larger one) without changing the value.
    private static decimal Fix(decimal rounded, decimal zeroWithScale) => rounded == 0m ? zeroWithScale : rounded + zeroWithScale;
}
