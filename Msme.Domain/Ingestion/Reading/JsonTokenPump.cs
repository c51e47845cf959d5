using System.Text.Json;

namespace Msme.Domain.Ingestion.Reading;

internal delegate void JsonTokenHandler(ref Utf8JsonReader reader);

/// <summary>
/// Feeds a stream through Utf8JsonReader in fixed-size chunks, carrying the reader state across refills, so memory
/// stays bounded by the largest single token instead of the document.
/// </summary>
internal sealed class JsonTokenPump(Stream stream, int maxTokenBytes = 64 * 1024 * 1024)
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 };

    /// <summary>True once the last chunk is being read: a syntax error now means the document ends early.</summary>
    public bool InFinalBlock { get; private set; }

    /// <summary>Absolute offset of the buffer's first byte, for error messages.</summary>
    public long BufferOffset { get; private set; }

    public void Run(JsonTokenHandler onToken, Func<bool> stop)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        var state = new JsonReaderState(Options);
        while (true)
        {
            while (!InFinalBlock && length < buffer.Length)
            {
                var n = stream.Read(buffer, length, buffer.Length - length);
                if (n == 0)
                {
                    InFinalBlock = true;
                }

                length += n;
                if (n > 0 && length > 4096)
                {
                    break;
                }
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), InFinalBlock, state);
            while (reader.Read())
            {
                onToken(ref reader);
                if (stop())
                {
                    return;
                }
            }

            if (InFinalBlock)
            {
                return;
            }

            state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            var remaining = length - consumed;
            if (consumed == 0 && length == buffer.Length)
            {
                // One token (a long narration, an XML document held in a string) does not fit: grow, up to a limit.
                if (buffer.Length >= maxTokenBytes)
                {
                    throw new JsonException($"a single JSON value is larger than {maxTokenBytes / (1024 * 1024)} MB");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }
            else
            {
                Buffer.BlockCopy(buffer, consumed, buffer, 0, remaining);
            }

            BufferOffset += consumed;
            length = remaining;
        }
    }
}
