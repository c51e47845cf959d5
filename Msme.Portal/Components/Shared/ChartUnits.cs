namespace Msme.Portal.Components.Shared;

/// <summary>Rupee charts plot lakh (₹1,00,000) on the axis; their tables print the same value back in Indian short form.</summary>
public static class ChartUnits
{
    /// <summary>Rupees as lakh for a chart, to the rupee (4 decimals of a lakh); null stays a gap.</summary>
    public static double? Lakh(decimal? rupees) => rupees is { } r ? (double)Math.Round(r / 1_00_000m, 4) : null;

    /// <summary>A plotted lakh value in the table view: ₹4.25 L, ₹1.30 Cr, or "—" for a gap.</summary>
    public static string LakhText(double? lakh) => lakh is { } v ? IndianFormat.Compact((decimal)v * 1_00_000m) : IndianFormat.Missing;
}
