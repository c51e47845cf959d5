using System.Text;
using System.Text.Json;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>One transaction's values as the fast path read them: what <see cref="TransactionBuilder.Build"/> would have built.</summary>
internal struct TransactionFields
{
    public string TxnId;
    public TxnType Type;
    public string? Mode;
    public decimal Amount;
    public decimal Balance;
    public DateTimeOffset Timestamp;
    public DateOnly? ValueDate;
    public string? Narration;
    public string? Reference;

    /// <summary>The txnId's property name as written, for the path of a duplicate report.</summary>
    public string TxnIdName;
}

/// <summary>
/// The fast path for a JSON transaction object: reads its fields straight off the tokeniser, with no events, no
/// per-field path or value records and no strings but the ones kept (txnId, narration, reference; mode from a cache).
/// </summary>
/// <remarks>
/// It takes only a transaction the general path would accept without a word: every field under a name the schema knows
/// (no typo, no unknown field), given once, of the right kind, valid, and the whole object inside the buffer. Anything
/// else (a missing or bad value, an escaped name, a nested object, the buffer ending mid-object) returns false, and the
/// caller rewinds the reader and lets the general path read the same tokens and word the issue. So the fast path can
/// change no result and no message; tests read every broken input both ways.
/// </remarks>
internal static class JsonTransactionReader
{
    private enum Field { None, TxnId, Type, Mode, Amount, CurrentBalance, TransactionalBalance, Timestamp, ValueDate, Narration, Reference }

    /// <summary>Reads from the object's StartObject to its EndObject; false (reader position undefined) when the general path must read it.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, Utf8StringCache names, Utf8StringCache shortValues, out TransactionFields fields)
    {
        fields = default;
        var seen = 0;
        decimal currentBalance = 0, transactionalBalance = 0;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return false;
            }

            var field = Resolve(reader.ValueSpan, names);
            var bit = 1 << (int)field;
            if (field == Field.None || (seen & bit) != 0)
            {
                return false;
            }

            seen |= bit;
            if (field == Field.TxnId)
            {
                fields.TxnIdName = names.Get(reader.ValueSpan);
            }

            if (!reader.Read())
            {
                return false;
            }

            var ok = field switch
            {
                Field.TxnId => Required(ref reader, out fields.TxnId),
                Field.Type => TryType(ref reader, out fields.Type),
                Field.Mode => Optional(ref reader, shortValues, out fields.Mode),
                Field.Amount => TryMoney(ref reader, out fields.Amount) && fields.Amount >= 0,
                Field.CurrentBalance => TryMoney(ref reader, out currentBalance),
                Field.TransactionalBalance => TryMoney(ref reader, out transactionalBalance),
                Field.Timestamp => TryTimestamp(ref reader, out fields.Timestamp),
                Field.ValueDate => TryValueDate(ref reader, out fields.ValueDate),
                Field.Narration => Optional(ref reader, null, out fields.Narration),
                Field.Reference => Optional(ref reader, null, out fields.Reference),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        const int required = (1 << (int)Field.TxnId) | (1 << (int)Field.Type) | (1 << (int)Field.Amount) | (1 << (int)Field.Timestamp);
        if ((seen & required) != required)
        {
            return false;
        }

        // The general path takes transactionalBalance first and reports a currentBalance that disagrees.
        var hasV1 = (seen & (1 << (int)Field.CurrentBalance)) != 0;
        var hasV2 = (seen & (1 << (int)Field.TransactionalBalance)) != 0;
        if (hasV1 && hasV2 && currentBalance != transactionalBalance)
        {
            return false;
        }

        fields.Balance = hasV2 ? transactionalBalance : currentBalance;
        return hasV1 || hasV2;
    }

    /// <summary>The field a property name means, as <see cref="FieldNames"/> resolves it; None for anything else.</summary>
    private static Field Resolve(ReadOnlySpan<byte> name, Utf8StringCache names)
    {
        // ReBIT's own spelling first: one compare for almost every name.
        var exact = name.Length switch
        {
            4 when name.SequenceEqual("type"u8) => Field.Type,
            4 when name.SequenceEqual("mode"u8) => Field.Mode,
            5 when name.SequenceEqual("txnId"u8) => Field.TxnId,
            6 when name.SequenceEqual("amount"u8) => Field.Amount,
            9 when name.SequenceEqual("valueDate"u8) => Field.ValueDate,
            9 when name.SequenceEqual("narration"u8) => Field.Narration,
            9 when name.SequenceEqual("reference"u8) => Field.Reference,
            14 when name.SequenceEqual("currentBalance"u8) => Field.CurrentBalance,
            20 when name.SequenceEqual("transactionalBalance"u8) => Field.TransactionalBalance,
            20 when name.SequenceEqual("transactionTimestamp"u8) => Field.Timestamp,
            _ => Field.None,
        };
        return exact != Field.None ? exact : ResolveSpelling(name, names);
    }

    /// <summary>Any other spelling is resolved as the general path resolves it; a misspelling (reported there) is None.</summary>
    private static Field ResolveSpelling(ReadOnlySpan<byte> name, Utf8StringCache names) =>
        FieldNames.TryResolve(Section.Transaction, names.Get(name), out var field) && field.TypoOf is null
            ? field.Canonical switch
            {
                "txnid" => Field.TxnId,
                "type" => Field.Type,
                "mode" => Field.Mode,
                "amount" => Field.Amount,
                "currentbalance" => Field.CurrentBalance,
                "transactionalbalance" => Field.TransactionalBalance,
                "transactiontimestamp" => Field.Timestamp,
                "valuedate" => Field.ValueDate,
                "narration" => Field.Narration,
                "reference" => Field.Reference,
                _ => Field.None,
            }
            : Field.None;

    /// <summary>A value the general path reads as text: a string (trimmed) or a number's spelling. Null when blank.</summary>
    private static bool TryText(ref Utf8JsonReader reader, Utf8StringCache? cache, out string? text)
    {
        text = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String when reader.ValueIsEscaped:
            {
                var value = reader.GetString()!;
                text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
                return true;
            }

            case JsonTokenType.String or JsonTokenType.Number:
            {
                // Unescaped JSON strings hold no control characters, so the only ASCII white space is ' '.
                var span = reader.ValueSpan.Trim((byte)' ');
                if (span.IsEmpty)
                {
                    return true;
                }

                // Past a non-ASCII first or last character may be white space string.Trim would remove: the general path decides.
                if (span[0] >= 0x80 || span[^1] >= 0x80)
                {
                    return false;
                }

                text = cache is not null ? cache.Get(span) : Encoding.UTF8.GetString(span);
                return true;
            }

            default:
                return false;
        }
    }

    private static bool Required(ref Utf8JsonReader reader, out string value)
    {
        var ok = TryText(ref reader, null, out var text) && text is not null;
        value = text!;
        return ok;
    }

    private static bool Optional(ref Utf8JsonReader reader, Utf8StringCache? cache, out string? value) => TryText(ref reader, cache, out value);

    private static bool TryType(ref Utf8JsonReader reader, out TxnType type)
    {
        type = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var span = reader.ValueSpan;
        if (span.SequenceEqual("DEBIT"u8))
        {
            type = TxnType.Debit;
            return true;
        }

        if (span.SequenceEqual("CREDIT"u8))
        {
            type = TxnType.Credit;
            return true;
        }

        if (span.SequenceEqual("REVERSAL"u8))
        {
            type = TxnType.Reversal;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The bytes the general path's text would hold, unescaped into <paramref name="scratch"/> when the writer escaped
    /// them (System.Text.Json writes '+' as \u002B): plain ASCII without edge spaces, at most 64 bytes, or false.
    /// </summary>
    private static bool TryAscii(in Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> span)
    {
        span = default;
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
        {
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            if (reader.ValueSpan.Length > scratch.Length)
            {
                return false;
            }

            span = scratch[..reader.CopyString(scratch)];
        }
        else
        {
            span = reader.ValueSpan;
        }

        if (span.IsEmpty || span.Length > scratch.Length || span[0] == ' ' || span[^1] == ' ')
        {
            return false;
        }

        foreach (var b in span)
        {
            if (b >= 0x80)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryMoney(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0;
        Span<byte> scratch = stackalloc byte[64];
        return TryAscii(in reader, scratch, out var span) && ValueParsers.TryMoney(span, out value);
    }

    private static bool TryTimestamp(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        Span<byte> scratch = stackalloc byte[64];
        if (reader.TokenType != JsonTokenType.String || !TryAscii(in reader, scratch, out var span))
        {
            return false;
        }

        Span<char> text = stackalloc char[span.Length];
        Widen(span, text);

        return ValueParsers.TryTimestamp(text, out value, out _);
    }

    private static bool TryValueDate(ref Utf8JsonReader reader, out DateOnly? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Trim((byte)' ').IsEmpty)
        {
            return true;
        }

        Span<byte> scratch = stackalloc byte[64];
        if (reader.TokenType != JsonTokenType.String || !TryAscii(in reader, scratch, out var span))
        {
            return false;
        }

        Span<char> text = stackalloc char[span.Length];
        Widen(span, text);

        if (!ValueParsers.TryDate(text, out var date, out _))
        {
            return false;
        }

        value = date;
        return true;
    }

    /// <summary>ASCII bytes as chars, for the parsers that read text.</summary>
    private static void Widen(ReadOnlySpan<byte> ascii, Span<char> text)
    {
        for (var i = 0; i < ascii.Length; i++)
        {
            text[i] = (char)ascii[i];
        }
    }
}
