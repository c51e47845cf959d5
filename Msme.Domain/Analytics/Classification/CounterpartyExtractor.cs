namespace Msme.Domain.Analytics.Classification;

/// <summary>
/// Pulls the other party's name out of the narration shapes Indian banks use (DOMAIN.md). Returns an upper-case name
/// with collapsed spaces, or null when the shape carries no name (ATM, charges, interest) or is not recognised.
/// </summary>
public static class CounterpartyExtractor
{
    public static string? Extract(string? narration)
    {
        if (string.IsNullOrWhiteSpace(narration)) return null;
        var n = narration.Trim();
        var raw = Shape(n);
        return Normalise(raw);
    }

    private static string? Shape(string n)
    {
        if (Starts(n, "UPIRET")) return null;
        if (Starts(n, "UPI/")) return Upi(n.Split('/'));
        if (Starts(n, "UPI-")) return UpiDash(n.Split('-'));
        if (Starts(n, "MMT/IMPS/"))
        {
            // ICICI: MMT/IMPS/<ref>/<remark>/<name>/<bank>; with two fields after the ref the name is still the second.
            var p = n.Split('/');
            return p.Length switch { >= 5 => p[4], 4 => p[3], _ => null };
        }
        if (Starts(n, "IMPS-")) return Field(n.Split('-'), 2);
        if (Starts(n, "NEFT DR-") || Starts(n, "NEFT CR-") || Starts(n, "RTGS DR-") || Starts(n, "RTGS CR-")) return Field(n.Split('-'), 2);
        if (Starts(n, "NEFT-") || Starts(n, "NEFT/")) return Field(n.Split(n[4]), 2);
        if (Starts(n, "RTGS/") || Starts(n, "RTGS-")) return Field(n.Split(n[4]), 2);
        if (Starts(n, "ACH RTN CHRG/") || Starts(n, "ACH/") || Starts(n, "ECS/")) return Field(n.Split('/'), 1);
        if (Starts(n, "NACH-DR-") || Starts(n, "NACH-CR-")) return Field(n.Split('-'), 2);
        if (Starts(n, "CLG/") || Starts(n, "SAL/")) return Field(n.Split('/'), 2);
        if (Starts(n, "BIL/"))
        {
            // BIL/BPAY/<id>/<biller>/..., BIL/ONL/<id>/<biller>/..., or BIL/<id>/<biller>/...
            var p = n.Split('/');
            return p.Length > 2 && IsDigits(p[1]) ? Field(p, 2) : Field(p, 3);
        }
        if (Starts(n, "CMS/"))
        {
            var p = n.Split('/');
            return p.Length > 2 && IsDigits(p[1]) ? Field(p, 2) : null;
        }
        if (Starts(n, "POS "))
        {
            // POS <card mask> <merchant>
            var rest = n[4..].TrimStart();
            var space = rest.IndexOf(' ');
            return space > 0 ? rest[(space + 1)..] : null;
        }
        if (Starts(n, "ATM/") || Starts(n, "NFS/") || Starts(n, "CHRG") || Starts(n, "NACH RETURN") || Starts(n, "INT") || Starts(n, "TRF ")
            || n.Contains("CASH", StringComparison.OrdinalIgnoreCase) || Starts(n, "GST") || Starts(n, "VIN/") || Starts(n, "IIN/")) return null;
        // An unknown shape ("BHARTI AIRTEL -..."): the leading words name the party when they read like a name.
        var end = n.IndexOfAny(['-', '/']);
        var head = (end < 0 ? n : n[..end]).Trim();
        // Bank wording ("RETURN CHARGES", "INSUFFICIENT BAL") is not a party.
        if (BankWords.Any(w => head.Contains(w, StringComparison.OrdinalIgnoreCase))) return null;
        return head.Contains(' ') || (head.Length >= 3 && head.All(char.IsAsciiLetter)) ? head : null;
    }

    private static readonly string[] BankWords = ["CHARGE", "CHRG", "CHGS", "RETURN", "RTN", "BOUNCE", "INSUFF", "INTEREST", "REVERSAL"];

    private static string? Upi(string[] p)
    {
        // UPI/<ref>/<name>/<vpa>/<bank>/...: scrubbed or anonymous lines put "UPI" where the name goes; the VPA names the party then.
        var name = Field(p, 2);
        if (name is null || name.Equals("UPI", StringComparison.OrdinalIgnoreCase) || IsDigits(name)) return Field(p, 3);
        return name;
    }

    private static string? UpiDash(string[] p)
    {
        // UPI-<name>-<vpa>-<ifsc>-<ref>-<remark>; names may themselves contain '-', so the VPA (the part with '@') ends the name.
        var vpa = Array.FindIndex(p, x => x.Contains('@'));
        if (vpa > 1) return string.Join('-', p, 1, vpa - 1);
        if (vpa == 1) return p[1];
        return Field(p, 1);
    }

    private static string? Field(string[] parts, int index) => index < parts.Length && parts[index].Trim().Length > 0 ? parts[index] : null;

    private static bool Starts(string s, string prefix) => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    internal static string? Normalise(string? raw)
    {
        if (raw is null) return null;
        Span<char> buffer = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        var n = 0;
        var space = false;
        foreach (var ch in raw.Trim())
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
        if (n == 0) return null;
        var result = new string(buffer[..n]);
        return result == "UPI" || IsDigits(result) ? null : result;
    }
}
