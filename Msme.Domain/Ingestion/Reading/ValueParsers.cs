using System.Globalization;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>Strict parsers for the values feeds send as text: money, calendar dates and timestamps.</summary>
/// <remarks>Each returns a reason a person can act on instead of a bare false.</remarks>
internal static class ValueParsers
{
    private const NumberStyles MoneyStyles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// Parses money straight into decimal (never through double, whose noise like 159243.42000000001 is in the
    /// feeds already) and rounds to paise half away from zero, the way banks round.
    /// </summary>
    public static bool TryMoney(string raw, out decimal value, out string reason)
    {
        value = 0;
        var text = raw.Trim();
        if (text.Length == 0)
        {
            reason = "is empty";
            return false;
        }

        if (!decimal.TryParse(text, MoneyStyles, CultureInfo.InvariantCulture, out var parsed))
        {
            reason = "is not a number";
            return false;
        }

        value = Math.Round(parsed, 2, MidpointRounding.AwayFromZero);
        reason = "";
        return true;
    }

    /// <summary>
    /// <see cref="TryMoney(string, out decimal, out string)"/> over ASCII bytes without surrounding white space (the
    /// caller checks both): the same styles and rounding, without making the string; false where that would give a reason.
    /// </summary>
    public static bool TryMoney(ReadOnlySpan<byte> ascii, out decimal value)
    {
        if (!decimal.TryParse(ascii, MoneyStyles, CultureInfo.InvariantCulture, out var parsed))
        {
            value = 0;
            return false;
        }

        value = Math.Round(parsed, 2, MidpointRounding.AwayFromZero);
        return true;
    }

    /// <summary>
    /// The allocation-free path for the usual case: plain ASCII digits, '-' and '.', parsed from UTF-8 with the same
    /// styles, and only when the number's invariant spelling gives back exactly these bytes (so the text a message or a
    /// comparison needs can be rebuilt from the number). Anything else (spaces, '+', exponents, leading zeros, a bad
    /// number) returns false and goes the way of <see cref="TryMoney"/> with its reasons.
    /// </summary>
    public static bool TryMoneyExact(ReadOnlySpan<byte> utf8, out decimal parsed)
    {
        parsed = 0;
        if (utf8.IsEmpty || utf8.Length > 40)
        {
            return false;
        }

        foreach (var b in utf8)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'-'))
            {
                return false;
            }
        }

        if (!decimal.TryParse(utf8, MoneyStyles, CultureInfo.InvariantCulture, out parsed))
        {
            return false;
        }

        Span<byte> spelt = stackalloc byte[64];
        return parsed.TryFormat(spelt, out var written, default, CultureInfo.InvariantCulture) && spelt[..written].SequenceEqual(utf8);
    }

    /// <summary>
    /// The allocation-free path for the usual timestamp, exactly <c>yyyy-MM-ddTHH:mm:ss±hh:mm</c> in ASCII (what ReBIT
    /// samples and most FIPs send): parsed by <see cref="TryTimestamp(ReadOnlySpan{char}, out DateTimeOffset, out string)"/>
    /// itself, so it accepts nothing that path would not. In this shape the instant formats back to the same bytes
    /// (a "-00:00" offset would come back "+00:00", so it is left to the text path). Anything else returns false.
    /// </summary>
    public static bool TryTimestampExact(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        value = default;
        if (utf8.Length != 25 || utf8[4] != '-' || utf8[7] != '-' || utf8[10] != 'T' || utf8[13] != ':' || utf8[16] != ':'
            || utf8[19] is not ((byte)'+' or (byte)'-') || utf8[22] != ':'
            || (utf8[19] == '-' && utf8[20..].SequenceEqual("00:00"u8)))
        {
            return false;
        }

        Span<char> text = stackalloc char[25];
        for (var i = 0; i < 25; i++)
        {
            var b = utf8[i];
            if (i is not (4 or 7 or 10 or 13 or 16 or 19 or 22) && b is not (>= (byte)'0' and <= (byte)'9'))
            {
                return false;
            }

            text[i] = (char)b;
        }

        return TryTimestamp(text, out value, out _);
    }

    /// <summary>Rounds a parsed amount to paise, half away from zero, as <see cref="TryMoney"/> does.</summary>
    public static decimal ToPaise(decimal parsed) => Math.Round(parsed, 2, MidpointRounding.AwayFromZero);

    /// <summary>A calendar date: yyyy-MM-dd, dd-MM-yyyy or dd/MM/yyyy; a full timestamp gives its IST date.</summary>
    public static bool TryDate(string raw, out DateOnly value, out string reason) => TryDate(raw.AsSpan(), out value, out reason);

    /// <inheritdoc cref="TryDate(string, out DateOnly, out string)"/>
    public static bool TryDate(ReadOnlySpan<char> raw, out DateOnly value, out string reason)
    {
        value = default;
        var text = raw.Trim();
        if (text.Length > 10 && TryTimestamp(text, out var instant, out reason))
        {
            value = IndianTime.DateOf(instant);
            return true;
        }

        if (text.Length != 10)
        {
            reason = "is not a date (expected yyyy-MM-dd or dd-MM-yyyy)";
            return false;
        }

        return TryDatePart(text, out value, out reason);
    }

    /// <summary>
    /// A date-time with offset Z, +05:30, +0530 or none (then India Standard Time, what Indian banks mean);
    /// 'T' or a space between date and time, any number of fraction digits (beyond 7 are dropped).
    /// </summary>
    public static bool TryTimestamp(string raw, out DateTimeOffset value, out string reason) => TryTimestamp(raw.AsSpan(), out value, out reason);

    /// <inheritdoc cref="TryTimestamp(string, out DateTimeOffset, out string)"/>
    public static bool TryTimestamp(ReadOnlySpan<char> raw, out DateTimeOffset value, out string reason)
    {
        value = default;
        var s = raw.Trim();
        if (s.Length < 16)
        {
            reason = "is not a date-time (expected yyyy-MM-ddTHH:mm:ss with an optional offset)";
            return false;
        }

        if (!TryDatePart(s[..10], out var date, out reason))
        {
            return false;
        }

        if (s[10] is not ('T' or 't' or ' '))
        {
            reason = "is not a date-time (expected 'T' between date and time)";
            return false;
        }

        var i = 11;
        if (!TwoDigits(s, i, out var hour) || s[i + 2] != ':' || !TwoDigits(s, i + 3, out var minute))
        {
            reason = "has no valid time (expected HH:mm:ss)";
            return false;
        }

        i += 5;
        var second = 0;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!TwoDigits(s, i + 1, out second))
            {
                reason = "has no valid seconds";
                return false;
            }

            i += 3;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var digits = 0;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    if (digits < 7)
                    {
                        fractionTicks = (fractionTicks * 10) + (s[i] - '0');
                    }

                    digits++;
                    i++;
                }

                if (digits == 0)
                {
                    reason = "has a '.' without fraction digits";
                    return false;
                }

                for (var d = Math.Min(digits, 7); d < 7; d++)
                {
                    fractionTicks *= 10;
                }
            }
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            reason = $"has an impossible time {hour:00}:{minute:00}:{second:00}";
            return false;
        }

        if (!TryOffset(s[i..], out var offset))
        {
            reason = $"has an unreadable offset '{s[i..].ToString()}' (expected Z, +05:30 or +0530)";
            return false;
        }

        var local = date.ToDateTime(new TimeOnly(hour, minute, second)).AddTicks(fractionTicks);
        value = new DateTimeOffset(local, offset);
        reason = "";
        return true;
    }

    private static bool TryOffset(ReadOnlySpan<char> s, out TimeSpan offset)
    {
        offset = IndianTime.Offset;
        if (s.IsEmpty)
        {
            return true;
        }

        if (s is "Z" or "z")
        {
            offset = TimeSpan.Zero;
            return true;
        }

        if (s[0] is not ('+' or '-'))
        {
            return false;
        }

        var sign = s[0] == '-' ? -1 : 1;
        // +05, +0530 and +05:30 all occur; the colon is the only separator seen.
        Span<char> digits = stackalloc char[4];
        var count = 0;
        foreach (var c in s[1..])
        {
            if (c == ':')
            {
                continue;
            }

            if (count == 4)
            {
                return false;
            }

            digits[count++] = c;
        }

        digits = digits[..count];
        if (digits.Length is not (2 or 4) || digits.ContainsAnyExceptInRange('0', '9') || (s.Length == 6 && s[3] != ':'))
        {
            return false;
        }

        var hours = ((digits[0] - '0') * 10) + (digits[1] - '0');
        var minutes = digits.Length == 4 ? ((digits[2] - '0') * 10) + (digits[3] - '0') : 0;
        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }

    private static bool TryDatePart(ReadOnlySpan<char> s, out DateOnly value, out string reason)
    {
        value = default;
        int year, month, day;
        if (s.Length == 10 && s[4] == '-' && s[7] == '-')
        {
            if (!FourDigits(s, 0, out year) || !TwoDigits(s, 5, out month) || !TwoDigits(s, 8, out day))
            {
                reason = "is not a date (expected yyyy-MM-dd)";
                return false;
            }
        }
        else if (s.Length == 10 && s[2] is '-' or '/' && s[5] == s[2])
        {
            if (!TwoDigits(s, 0, out day) || !TwoDigits(s, 3, out month) || !FourDigits(s, 6, out year))
            {
                reason = "is not a date (expected dd-MM-yyyy)";
                return false;
            }
        }
        else
        {
            reason = "is not a date (expected yyyy-MM-dd or dd-MM-yyyy)";
            return false;
        }

        if (year < 1900 || year > 2200)
        {
            reason = $"has an implausible year {year}";
            return false;
        }

        if (month is < 1 or > 12)
        {
            reason = $"has no month {month} (months run 1-12)";
            return false;
        }

        var days = DateTime.DaysInMonth(year, month);
        if (day < 1 || day > days)
        {
            reason = $"is not a real date: {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year} has {days} days";
            return false;
        }

        value = new DateOnly(year, month, day);
        reason = "";
        return true;
    }

    private static bool TwoDigits(ReadOnlySpan<char> s, int at, out int value)
    {
        value = 0;
        if (at + 2 > s.Length || !char.IsAsciiDigit(s[at]) || !char.IsAsciiDigit(s[at + 1]))
        {
            return false;
        }

        value = ((s[at] - '0') * 10) + (s[at + 1] - '0');
        return true;
    }

    private static bool FourDigits(ReadOnlySpan<char> s, int at, out int value)
    {
        value = 0;
        if (!TwoDigits(s, at, out var high) || !TwoDigits(s, at + 2, out var low))
        {
            return false;
        }

        value = (high * 100) + low;
        return true;
    }
}
