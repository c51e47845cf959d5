using System.Globalization;
using System.Text;

namespace Msme.Domain.Collections.Actions;

/// <summary>The header fields of a bulk-debit file: who presents, under which utility code, through which sponsor bank.</summary>
public sealed record BulkDebitHeader(string BatchReference, string UtilityCode, string SponsorBank, DateTimeOffset CreatedAt);

/// <summary>
/// Writes a presentment schedule as a "MSME-BULKDEBIT-1" file: CSV records in the header/detail/trailer shape of an
/// ACH debit file (H, D…, T with control totals), one file per utility code. NPCI's own ACH file specification is
/// given to member banks only, so this is a documented layout modelled on sponsor banks' bulk-debit upload formats
/// (UMRN, debit date, amount, reference per row); every field is described in docs/collection-actions.md. Amounts are
/// rupees with two decimals, dates yyyy-MM-dd, text fields quoted when they hold a comma or quote, CRLF line ends.
/// </summary>
public static class BulkDebitFile
{
    public const string Layout = "MSME-BULKDEBIT-1";

    public static string Write(BulkDebitHeader header, IReadOnlyList<PresentmentLine> lines)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(lines);
        var wrong = lines.FirstOrDefault(l => l.UtilityCode != header.UtilityCode);
        if (wrong is not null)
            throw new ArgumentException($"line {wrong.Reference} is under utility code {wrong.UtilityCode}, the file under {header.UtilityCode}: one file per utility code", nameof(lines));
        var total = lines.Sum(l => l.Amount);
        var sb = new StringBuilder();
        Row(sb, "H", Layout, header.BatchReference, header.UtilityCode, header.SponsorBank,
            header.CreatedAt.ToOffset(IndianTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            lines.Count.ToString(CultureInfo.InvariantCulture), Amount(total));
        var n = 0;
        foreach (var l in lines)
        {
            Row(sb, "D", (++n).ToString(CultureInfo.InvariantCulture), l.MandateRef, LoanBookCodes.Of(l.Mandate), l.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Amount(l.Amount), l.Reference, l.Sequence.ToString(CultureInfo.InvariantCulture), l.CustomerName, l.MaskedAccNumber);
        }
        Row(sb, "T", lines.Count.ToString(CultureInfo.InvariantCulture), Amount(total));
        return sb.ToString();
    }

    /// <summary>Rupees with exactly two decimals and no grouping: 12345.5 → "12345.50".</summary>
    public static string Amount(decimal rupees) => decimal.Round(rupees, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder sb, params string[] fields)
    {
        for (var k = 0; k < fields.Length; k++)
        {
            if (k > 0) sb.Append(',');
            sb.Append(Field(fields[k]));
        }
        sb.Append("\r\n");
    }

    /// <summary>Control characters dropped; a field with a comma or quote quoted (RFC 4180); a leading formula sign prefixed with an apostrophe, as spreadsheets would run it.</summary>
    internal static string Field(string value)
    {
        var clean = string.Concat(value.Where(ch => !char.IsControl(ch)));
        if (clean.Length > 0 && clean[0] is '=' or '+' or '-' or '@') clean = "'" + clean;
        return clean.Contains(',') || clean.Contains('"') ? "\"" + clean.Replace("\"", "\"\"") + "\"" : clean;
    }
}
