using System.Globalization;
using System.Text;

namespace Msme.Portal.Components.Shared;

/// <summary>Indian number formatting (₹1,23,456.00; lakh and crore), independent of the machine's culture data.</summary>
public static class IndianFormat
{
    public const string Missing = "—";

    public static string Money(decimal? rupees) => rupees is { } r ? (r < 0 ? "-₹" + Group(-r, 2) : "₹" + Group(r, 2)) : Missing;

    public static string Number(long? value) => value is { } v ? Group(v, 0) : Missing;

    /// <summary>Short form for headlines: ₹4.25 L, ₹1.30 Cr.</summary>
    public static string Compact(decimal? rupees) => rupees switch
    {
        null => Missing,
        { } r when Math.Abs(r) >= 1_00_00_000m => $"₹{(r / 1_00_00_000m).ToString("0.00", CultureInfo.InvariantCulture)} Cr",
        { } r when Math.Abs(r) >= 1_00_000m => $"₹{(r / 1_00_000m).ToString("0.00", CultureInfo.InvariantCulture)} L",
        { } r => Money(r),
    };

    public static string Date(DateOnly? date) => date?.ToString("dd MMM yyyy", CultureInfo.InvariantCulture) ?? Missing;

    public static string DateTime(DateTimeOffset? instant) =>
        instant?.ToOffset(Msme.Domain.IndianTime.Offset).ToString("dd MMM yyyy HH:mm", CultureInfo.InvariantCulture) ?? Missing;

    public static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? Missing : value;

    private static string Group(decimal value, int decimals)
    {
        var negative = value < 0;
        var fixedText = Math.Abs(decimal.Round(value, decimals, MidpointRounding.AwayFromZero)).ToString("F" + decimals, CultureInfo.InvariantCulture);
        var dot = fixedText.IndexOf('.');
        var whole = dot < 0 ? fixedText : fixedText[..dot];
        var fraction = dot < 0 ? "" : fixedText[dot..];
        var sb = new StringBuilder();
        // Last three digits, then groups of two: 12,34,56,789.
        var head = whole.Length > 3 ? whole[..^3] : "";
        var tail = whole.Length > 3 ? whole[^3..] : whole;
        for (var i = 0; i < head.Length; i++)
        {
            if (i > 0 && (head.Length - i) % 2 == 0)
            {
                sb.Append(',');
            }
            sb.Append(head[i]);
        }
        if (head.Length > 0)
        {
            sb.Append(',');
        }
        sb.Append(tail).Append(fraction);
        return (negative ? "-" : "") + sb;
    }
}
