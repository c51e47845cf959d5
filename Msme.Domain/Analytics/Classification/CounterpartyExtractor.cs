namespace Msme.Domain.Analytics.Classification;

/// <summary>
/// Pulls the other party's name out of the narration shapes Indian banks use (DOMAIN.md). Returns an upper-case name
/// with collapsed spaces, or null when the shape carries no name (ATM, charges, interest) or is not recognised.
/// </summary>
/// <remarks>
/// Works on spans of the narration and allocates only the name it returns: it runs for every line of every statement
/// (splitting each narration into strings was half of classification's allocations).
/// </remarks>
public static class CounterpartyExtractor
{
    public static string? Extract(string? narration)
    {
        if (string.IsNullOrWhiteSpace(narration)) return null;
        return Normalise(Shape(narration.AsSpan().Trim()));
    }

    /// <summary>
    /// As <see cref="Extract"/>, without a string: the name written to <paramref name="buffer"/> (as long as the
    /// narration at most) and its length returned, or -1 when there is none. A statement keeps one string per name.
    /// </summary>
    internal static int Extract(ReadOnlySpan<char> narration, Span<char> buffer) =>
        narration.IsWhiteSpace() ? -1 : NormaliseInto(Shape(narration.Trim()), buffer);

    private static ReadOnlySpan<char> Shape(ReadOnlySpan<char> n)
    {
        if (Starts(n, "UPIRET")) return default;
        if (Starts(n, "UPI/"))
        {
            // UPI/<ref>/<name>/<vpa>/<bank>/...: scrubbed or anonymous lines put "UPI" where the name goes; the VPA names the party then.
            var name = Field(n, '/', 2);
            return name.IsEmpty || name.Trim().Equals("UPI", StringComparison.OrdinalIgnoreCase) || IsDigits(name.Trim()) ? Field(n, '/', 3) : name;
        }
        if (Starts(n, "UPI-"))
        {
            // UPI-<name>-<vpa>-<ifsc>-<ref>-<remark>; names may themselves contain '-', so the VPA (the field with '@') ends the name.
            var at = n.IndexOf('@');
            if (at < 0) return Field(n, '-', 1);
            var vpaStart = n[..at].LastIndexOf('-') + 1;
            return vpaStart <= 4 ? Field(n, '-', 1) : n[4..(vpaStart - 1)];
        }
        if (Starts(n, "MMT/IMPS/"))
        {
            // ICICI: MMT/IMPS/<ref>/<remark>/<name>/<bank>; with two fields after the ref the name is still the second.
            var count = Count(n, '/') + 1;
            return count >= 5 ? Field(n, '/', 4) : count == 4 ? Field(n, '/', 3) : default;
        }
        if (Starts(n, "IMPS-")) return Field(n, '-', 2);
        if (Starts(n, "NEFT DR-") || Starts(n, "NEFT CR-") || Starts(n, "RTGS DR-") || Starts(n, "RTGS CR-")) return Field(n, '-', 2);
        if (Starts(n, "NEFT-") || Starts(n, "NEFT/") || Starts(n, "RTGS/") || Starts(n, "RTGS-")) return Field(n, n[4], 2);
        if (Starts(n, "ACH RTN CHRG/") || Starts(n, "ACH/") || Starts(n, "ECS/")) return Field(n, '/', 1);
        if (Starts(n, "NACH-DR-") || Starts(n, "NACH-CR-")) return Field(n, '-', 2);
        if (Starts(n, "CLG/") || Starts(n, "SAL/")) return Field(n, '/', 2);
        if (Starts(n, "BIL/"))
        {
            // BIL/BPAY/<id>/<biller>/..., BIL/ONL/<id>/<biller>/..., or BIL/<id>/<biller>/...
            return IsDigits(Field(n, '/', 1)) ? Field(n, '/', 2) : Field(n, '/', 3);
        }
        if (Starts(n, "CMS/")) return IsDigits(Field(n, '/', 1)) ? Field(n, '/', 2) : default;
        if (Starts(n, "POS "))
        {
            // POS <card mask> <merchant>
            var rest = n[4..].TrimStart();
            var space = rest.IndexOf(' ');
            return space > 0 ? rest[(space + 1)..] : default;
        }
        if (Starts(n, "ATM/") || Starts(n, "NFS/") || Starts(n, "CHRG") || Starts(n, "NACH RETURN") || Starts(n, "INT") || Starts(n, "TRF ")
            || n.Contains("CASH", StringComparison.OrdinalIgnoreCase) || Starts(n, "GST") || Starts(n, "VIN/") || Starts(n, "IIN/")) return default;
        // An unknown shape ("BHARTI AIRTEL -..."): the leading words name the party when they read like a name.
        var end = n.IndexOfAny('-', '/');
        var head = (end < 0 ? n : n[..end]).Trim();
        // Bank wording ("RETURN CHARGES", "INSUFFICIENT BAL") is not a party.
        foreach (var w in BankWords)
            if (head.Contains(w, StringComparison.OrdinalIgnoreCase)) return default;
        return head.Contains(' ') || (head.Length >= 3 && !head.ContainsAnyExcept(AsciiLetters)) ? head : default;
    }

    private static readonly string[] BankWords = ["CHARGE", "CHRG", "CHGS", "RETURN", "RTN", "BOUNCE", "INSUFF", "INTEREST", "REVERSAL"];

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The index-th field (0-based) between separators; empty when there are fewer fields.</summary>
    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> s, char separator, int index)
    {
        for (var i = 0; i < index; i++)
        {
            var next = s.IndexOf(separator);
            if (next < 0) return default;
            s = s[(next + 1)..];
        }
        var end = s.IndexOf(separator);
        return end < 0 ? s : s[..end];
    }

    private static int Count(ReadOnlySpan<char> s, char c) => s.Count(c);

    private static bool Starts(ReadOnlySpan<char> s, string prefix) => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsDigits(ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');

    internal static string? Normalise(string? raw) => raw is null ? null : Normalise(raw.AsSpan());

    private static string? Normalise(ReadOnlySpan<char> raw)
    {
        Span<char> buffer = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        var n = NormaliseInto(raw, buffer);
        return n < 0 ? null : new string(buffer[..n]);
    }

    /// <summary>Upper case, runs of white space as one space, trimmed; -1 when nothing is left, or only "UPI" or digits.</summary>
    private static int NormaliseInto(ReadOnlySpan<char> raw, Span<char> buffer)
    {
        raw = raw.Trim();
        if (raw.IsEmpty) return -1;
        var n = 0;
        var space = false;
        foreach (var ch in raw)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = n > 0;
                continue;
            }
            if (space) buffer[n++] = ' ';
            space = false;
            buffer[n++] = char.ToUpperInvariant(ch);
        }
        var result = buffer[..n];
        return result.SequenceEqual("UPI") || IsDigits(result) ? -1 : n;
    }
}
