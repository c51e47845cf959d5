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

    /// <summary>After a syntax error: the data simply ran out (a truncated file), as opposed to wrong JSON.</summary>
    public bool EndedEarly { get; private set; }

    /// <summary>Absolute offset of the buffer's first byte, for error messages.</summary>
    public long BufferOffset { get; private set; }

    public void Run(JsonTokenHandler onToken, Func<bool> stop)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        var state = new JsonReaderState(Options);
        InvalidUtf8Exception? pendingFault = null;
        while (true)
        {
            while (!InFinalBlock && length < buffer.Length)
            {
                if (pendingFault is not null)
                {
                    throw pendingFault;
                }

                int n;
                try
                {
                    n = stream.Read(buffer, length, buffer.Length - length);
                }
                catch (InvalidUtf8Exception ex) when (length > 0)
                {
                    // Read the valid bytes first, so the error names the place in the document where the bad byte sits.
                    pendingFault = ex;
                    break;
                }

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
            try
            {
                while (reader.Read())
                {
                    onToken(ref reader);
                    if (stop())
                    {
                        return;
                    }
                }
            }
            catch (JsonException) when (InFinalBlock)
            {
                // Everything after the last whole token is blank: the document stopped, rather than went wrong.
                EndedEarly = buffer.AsSpan((int)reader.BytesConsumed, length - (int)reader.BytesConsumed).Trim(" \t\r\n"u8).Length == 0
                             || IsCutOffValue(buffer.AsSpan((int)reader.BytesConsumed, length - (int)reader.BytesConsumed));
                throw;
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

    /// <summary>The rest after the last whole token is one unfinished token: an open string, a bare property name or a number cut short.</summary>
    private static bool IsCutOffValue(ReadOnlySpan<byte> rest)
    {
        var text = rest.Trim(" \t\r\n,:"u8);
        if (text.IsEmpty)
        {
            return true;
        }

        // A string that never closes (no unescaped quote after the opening one).
        if (text[0] == (byte)'"')
        {
            for (var i = 1; i < text.Length; i++)
            {
                if (text[i] == (byte)'\\')
                {
                    i++;
                }
                else if (text[i] == (byte)'"')
                {
                    return text[(i + 1)..].Trim(" \t\r\n:"u8).IsEmpty;
                }
            }

            return true;
        }

        return false;
    }
}
