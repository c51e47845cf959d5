namespace Msme.Domain.DemoData;

/// <summary>
/// The seeded <see cref="Random"/> with the few draws the generator needs. Doubles are used only as random shape
/// factors; every amount is turned into a rounded decimal before it is used as money.
/// </summary>
internal sealed class DemoRandom(int seed)
{
    private readonly Random random = new(seed);

    private static readonly long[] Pow10 =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
    ];

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public int Next(int min, int maxExclusive) => random.Next(min, maxExclusive);

    public long NextLong(long min, long maxExclusive) => random.NextInt64(min, maxExclusive);

    public double Unit() => random.NextDouble();

    /// <summary>A double in [lo, hi): a multiplier, never money.</summary>
    public double Between(double lo, double hi) => lo + (hi - lo) * random.NextDouble();

    public bool Chance(double p) => random.NextDouble() < p;

    public T Pick<T>(T[] items) => items[random.Next(items.Length)];

    /// <summary>Picks an index by integer weights.</summary>
    public int Weighted(params int[] weights)
    {
        var total = 0;
        foreach (var w in weights) total += w;
        var x = random.Next(total);
        for (var i = 0; i < weights.Length; i++)
        {
            if (x < weights[i]) return i;
            x -= weights[i];
        }
        return weights.Length - 1;
    }

    /// <summary>n decimal digits, leading zeros kept (references, UTRs, consumer numbers).</summary>
    public string Digits(int n)
    {
        if (n <= 15) return random.NextInt64(0, Pow10[n]).ToString("D" + n, System.Globalization.CultureInfo.InvariantCulture);
        return Digits(15) + Digits(n - 15);
    }

    /// <summary>A number of n digits without a leading zero.</summary>
    public string DigitsNoLeadingZero(int n) =>
        random.NextInt64(Pow10[n - 1], Pow10[n]).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Letters(int n)
    {
        Span<char> s = stackalloc char[n];
        for (var i = 0; i < n; i++) s[i] = (char)('A' + random.Next(26));
        return new string(s);
    }

    /// <summary>A GUID-shaped lower-case hex id from this Random (Guid.NewGuid would break determinism).</summary>
    public string GuidLike()
    {
        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40); // looks like a v4 GUID, as real ids do
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>Whole rupees in [lo, hi].</summary>
    public decimal Rupees(decimal lo, decimal hi) => Math.Round(lo + (hi - lo) * (decimal)random.NextDouble(), 0);

    /// <summary><paramref name="amount"/> times a factor in [1-spread, 1+spread], rounded to <paramref name="roundTo"/> rupees.</summary>
    public decimal Vary(decimal amount, double spread, decimal roundTo = 1m) =>
        RoundTo(amount * (decimal)(1 + spread * (2 * random.NextDouble() - 1)), roundTo);

    public static decimal RoundTo(decimal amount, decimal step) =>
        Math.Round(amount / step, 0, MidpointRounding.AwayFromZero) * step;
}
