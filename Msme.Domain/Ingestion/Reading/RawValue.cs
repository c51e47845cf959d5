using System.Globalization;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>A scalar as received, with where it was, kept until its object is complete and can be judged as a whole.</summary>
/// <remarks>
/// A money field the JSON walker could read straight from its UTF-8 bytes carries the number instead of the text; its
/// text is the number's invariant spelling, which the reader checked is exactly what was written, so messages and
/// comparisons see the same text as before.
/// </remarks>
internal readonly struct RawValue(string name, ScalarKind kind, string? text, DocPath path, int line)
{
    public string Name => name;
    public ScalarKind Kind => kind;
    public DocPath Path => path;
    public int Line => line;

    /// <summary>The number, when the value arrived as one already parsed (see <see cref="HasNumber"/>).</summary>
    public decimal Number { get; private init; }

    public bool HasNumber { get; private init; }

    /// <summary>The instant, when the value arrived as one already parsed (see <see cref="HasInstant"/>).</summary>
    public DateTimeOffset Instant { get; private init; }

    public bool HasInstant { get; private init; }

    /// <summary>The spelling <see cref="ValueParsers.TryTimestampExact"/> accepts, which gives the text back from the instant.</summary>
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:sszzz";

    /// <summary>The value as written.</summary>
    public string? Text => text
        ?? (HasNumber ? Number.ToString(CultureInfo.InvariantCulture)
            : HasInstant ? Instant.ToString(InstantFormat, CultureInfo.InvariantCulture) : null);

    /// <summary>Null, empty and whitespace all mean "not given": feeds send "" for fields they do not have.</summary>
    public bool IsBlank => !HasNumber && !HasInstant && (Kind == ScalarKind.Null || string.IsNullOrWhiteSpace(text));

    public bool IsBoolean => Kind is ScalarKind.True or ScalarKind.False;

    /// <summary>A number read from the document's bytes whose invariant spelling is exactly what was written.</summary>
    public static RawValue OfNumber(string name, ScalarKind kind, decimal number, DocPath path, int line) =>
        new(name, kind, null, path, line) { Number = number, HasNumber = true };

    /// <summary>A timestamp read from the document's bytes in the one spelling that <see cref="InstantFormat"/> writes back exactly.</summary>
    public static RawValue OfInstant(string name, ScalarKind kind, DateTimeOffset instant, DocPath path, int line) =>
        new(name, kind, null, path, line) { Instant = instant, HasInstant = true };
}

/// <summary>FIP and account identity a wrapper (FI[].fipID, data[].maskedAccNumber) states for the accounts inside it.</summary>
internal readonly record struct WrapperHints(string? FipId, string? LinkRef, string? Masked);
