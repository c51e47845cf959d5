namespace Msme.Domain.Ingestion.Reading;

/// <summary>64-bit FNV-1a fingerprints: stable across processes (unlike string.GetHashCode) and cheap.</summary>
internal static class Fingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string text)
    {
        var hash = Offset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }
        return hash;
    }

    public static ulong Of(decimal amount, TxnType type, DateTimeOffset timestamp)
    {
        // In paise, so 1239 and 1239.00 (equal, but with different decimal scales) print alike.
        var paise = (ulong)(long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);
        var hash = (Offset ^ paise) * Prime;
        hash = (hash ^ (ulong)type) * Prime;
        return (hash ^ (ulong)timestamp.UtcTicks) * Prime;
    }
}
