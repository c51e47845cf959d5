using System.Buffers;
using System.Text.Json;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>The small sections of an envelope file, captured as JSON; the <c>fi</c> array is only counted.</summary>
internal sealed class EnvelopeSections
{
    public bool IsEnvelope { get; set; }
    public string? BundleVersion { get; set; }
    public byte[]? Customer { get; set; }
    public byte[]? FetchSession { get; set; }
    public byte[]? Consent { get; set; }
    public int FiEntries { get; set; }
    public bool HasFi { get; set; }
}

/// <summary>
/// First pass over a possible envelope: streams the file, copies customer, fetchSession and consent (small) and skips
/// the fi documents (large), which the second pass reads with the deposit reader.
/// </summary>
internal static class EnvelopeScanner
{
    public static EnvelopeSections Scan(Stream stream)
    {
        var sections = new EnvelopeSections();
        using var input = new Utf8InputStream(stream);
        try
        {
            if (input.PeekSignificantByte() != '{')
            {
                return sections;
            }
        }
        catch (InvalidUtf8Exception)
        {
            // Not text from its first bytes: the deposit reader names the file and the byte.
            return sections;
        }

        string? property = null;
        ArrayBufferWriter<byte>? captured = null;
        Utf8JsonWriter? writer = null;
        var nesting = 0;
        var pump = new JsonTokenPump(input);
        try
        {
            pump.Run(OnToken, () => false);
        }
        catch (JsonException)
        {
            // Broken JSON: the deposit reader reports it with its path when the file is read as a document.
        }
        catch (InvalidUtf8Exception)
        {
            // Likewise reported by the deposit reader.
        }

        return sections;

        void OnToken(ref Utf8JsonReader r)
        {
            if (writer is not null)
            {
                Copy(ref r, writer);
                nesting += r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? 1
                    : r.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray ? -1 : 0;
                if (nesting == 0)
                {
                    writer.Flush();
                    var bytes = captured!.WrittenSpan.ToArray();
                    switch (property)
                    {
                        case "customer": sections.Customer = bytes; break;
                        case "fetchsession": sections.FetchSession = bytes; break;
                        case "consent": sections.Consent = bytes; break;
                    }

                    writer.Dispose();
                    writer = null;
                }

                return;
            }

            if (r.TokenType == JsonTokenType.PropertyName && r.CurrentDepth == 1)
            {
                property = FieldNames.Normalise(r.GetString()!);
                return;
            }

            if (r.CurrentDepth == 1 && r.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                switch (property)
                {
                    case "bundleversion":
                        sections.IsEnvelope = true;
                        sections.BundleVersion = r.TokenType == JsonTokenType.Number ? r.GetDecimal().ToString() : r.TokenType == JsonTokenType.String ? r.GetString() : null;
                        break;
                    case "customer" or "fetchsession" or "consent":
                        captured = new ArrayBufferWriter<byte>();
                        writer = new Utf8JsonWriter(captured);
                        nesting = 0;
                        OnToken(ref r);
                        break;
                    case "fi":
                        sections.HasFi = true;
                        break;
                }
            }
            else if (property == "fi" && r.CurrentDepth == 2 && r.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                sections.FiEntries++;
            }
        }
    }

    private static void Copy(ref Utf8JsonReader r, Utf8JsonWriter w)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject: w.WriteStartObject(); break;
            case JsonTokenType.EndObject: w.WriteEndObject(); break;
            case JsonTokenType.StartArray: w.WriteStartArray(); break;
            case JsonTokenType.EndArray: w.WriteEndArray(); break;
            case JsonTokenType.PropertyName: w.WritePropertyName(r.GetString()!); break;
            case JsonTokenType.String: w.WriteStringValue(r.GetString()); break;
            case JsonTokenType.Number: w.WriteRawValue(r.ValueSpan, skipInputValidation: true); break;
            case JsonTokenType.True: w.WriteBooleanValue(true); break;
            case JsonTokenType.False: w.WriteBooleanValue(false); break;
            case JsonTokenType.Null: w.WriteNullValue(); break;
        }
    }
}
