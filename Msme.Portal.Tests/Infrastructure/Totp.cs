using System.Globalization;
using System.Security.Cryptography;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>
/// RFC 6238 codes as an authenticator app computes them, with Identity's parameters: HMAC-SHA1 over the 30-second step
/// since the Unix epoch, 6 digits, a base32 key (spaces and case ignored). Tests complete the second factor with it
/// honestly rather than switching the requirement off.
/// </summary>
/// <remarks>
/// The clock is the system clock on purpose: ASP.NET Core Identity's AuthenticatorTokenProvider (as of .NET 10) reads
/// DateTimeOffset.UtcNow, not the injected TimeProvider, so a pinned test clock does not move the codes it accepts.
/// It accepts the steps from two before to two after its own, so a step boundary between here and there is harmless.
/// </remarks>
public static class Totp
{
    public static string Code(string base32Key) => Code(base32Key, DateTimeOffset.UtcNow);

    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{c}' is not base32", nameof(text));
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
