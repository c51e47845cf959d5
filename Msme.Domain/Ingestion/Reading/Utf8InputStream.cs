using System.Text;

namespace Msme.Domain.Ingestion.Reading;

/// <summary>The input's bytes are not valid text in <see cref="EncodingName"/> (UTF-8, or UTF-16 after its BOM) at <see cref="Offset"/>.</summary>
internal sealed class InvalidUtf8Exception(long offset, byte value, string encodingName = "UTF-8")
    : Exception($"byte 0x{value:X2} at offset {offset} is not valid {encodingName}")
{
    public long Offset => offset;
    public byte Value => value;
    public string EncodingName => encodingName;
}

/// <summary>
/// Read-only view of an input that drops a leading UTF-8 BOM, lets the caller peek at the first significant byte,
/// and checks that every byte is UTF-8 before handing it on. A UTF-16 input with its byte-order mark (LE or BE, as
/// Windows tools save JSON and XML) is transcoded to UTF-8 on the way, so every reader behind it sees UTF-8.
/// </summary>
/// <remarks>
/// Checking here, not in the parsers, gives the same exact byte offset for JSON and XML; XmlReader would only
/// say "invalid character" and Utf8JsonReader would fail later in GetString. Valid bytes before a bad one are still
/// handed out, so everything up to the fault is read.
/// The stream it reads stays open when this one is disposed: its owner closes it.
/// </remarks>
internal sealed class Utf8InputStream(Stream inner) : Stream
{
    // Pooled: a bundle opens four or five of these (sniff, manifest, consent, documents), and a new 64 KiB buffer each
    // was a quarter of an import's allocations (issue 17). Returned on Dispose, after which the stream reads nothing.
    private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
    private readonly Stream _inner = inner;
    private Stream _source = inner;
    private bool _sniffed;
    private int _start;
    private int _validEnd;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private bool _bomChecked;
    private InvalidUtf8Exception? _fault;

    /// <summary>Bytes read from the underlying stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>What the input was: UTF-8, or UTF-16LE / UTF-16BE when it began with that byte-order mark.</summary>
    public string SourceEncoding { get; private set; } = "UTF-8";

    /// <summary>The input was UTF-16 and is being transcoded (an XML declaration's encoding no longer describes these bytes).</summary>
    public bool Transcoded => !ReferenceEquals(_source, _inner);

    /// <summary>The first byte that is neither BOM nor whitespace, or -1 when there is none.</summary>
    public int PeekSignificantByte()
    {
        while (true)
        {
            for (var i = _start; i < _validEnd; i++)
            {
                if (_buffer[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return _buffer[i];
                }
            }

            if (_fault is not null)
            {
                throw _fault;
            }

            if (_eof)
            {
                return -1;
            }

            Fill(keepFrom: _start);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (_start == _validEnd)
        {
            if (_fault is not null)
            {
                throw _fault;
            }

            if (_eof)
            {
                return 0;
            }

            Fill(keepFrom: _start);
        }

        var n = Math.Min(destination.Length, _validEnd - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    /// <summary>Reads more bytes, or marks the end of input.</summary>
    private void Fill(int keepFrom)
    {
        var keep = _end - keepFrom;
        Buffer.BlockCopy(_buffer, keepFrom, _buffer, 0, keep);
        _bufferOffset += keepFrom;
        _validEnd -= keepFrom;
        _start -= keepFrom;
        _end = keep;

        var n = _sniffed ? 0 : Sniff();
        if (n == 0)
        {
            try
            {
                n = _source.Read(_buffer, _end, _buffer.Length - _end);
            }
            catch (DecoderFallbackException ex)
            {
                // Invalid UTF-16 (a lone surrogate, an odd trailing byte): the same clean stop as invalid UTF-8.
                _eof = true;
                var bad = ex.BytesUnknown is { Length: > 0 } unknown ? unknown[0] : (byte)0;
                _fault = new InvalidUtf8Exception(BytesRead, bad, SourceEncoding);
                return;
            }
        }

        if (n == 0)
        {
            _eof = true;
            if (_validEnd < _end)
            {
                // A multi-byte sequence cut off by the end of the file.
                _fault = new InvalidUtf8Exception(_bufferOffset + _validEnd, _buffer[_validEnd]);
            }

            return;
        }

        BytesRead += n;
        _end += n;
        if (!_bomChecked && _end >= 3)
        {
            _bomChecked = true;
            if (_buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF && _bufferOffset == 0)
            {
                _start = _validEnd = 3;
            }
        }
        else if (!_bomChecked && _end < 3 && n > 0)
        {
            // Too short to hold a BOM yet; decide on the next fill or at the end.
            _bomChecked = _buffer[0] != 0xEF;
        }

        Validate();
    }

    /// <summary>Reads the first two bytes: a UTF-16 byte-order mark switches the source to a transcoder.</summary>
    private int Sniff()
    {
        _sniffed = true;
        var n = 0;
        while (n < 2)
        {
            var r = _inner.Read(_buffer, _end + n, 2 - n);
            if (r == 0)
            {
                break;
            }

            n += r;
        }

        if (n == 2 && _end == 0 && _buffer[0] is 0xFF or 0xFE && _buffer[1] is 0xFF or 0xFE && _buffer[0] != _buffer[1])
        {
            var bigEndian = _buffer[0] == 0xFE;
            SourceEncoding = bigEndian ? "UTF-16BE" : "UTF-16LE";
            var utf16 = new UnicodeEncoding(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true);
            _source = Encoding.CreateTranscodingStream(_inner, utf16, new UTF8Encoding(false), leaveOpen: true);
            _bomChecked = true;
            return 0;
        }

        return n;
    }

    private void Validate()
    {
        var span = _buffer.AsSpan(_validEnd, _end - _validEnd);
        if (System.Text.Unicode.Utf8.IsValid(span))
        {
            _validEnd = _end;
            return;
        }

        // Slow path: find the first bad byte, or an incomplete sequence at the end that the next read completes.
        var i = 0;
        while (i < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[i..], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                i += consumed;
                continue;
            }

            if (status == System.Buffers.OperationStatus.NeedMoreData && !_eof)
            {
                break;
            }

            _fault = new InvalidUtf8Exception(_bufferOffset + _validEnd + i, span[i]);
            break;
        }

        _validEnd += i;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Transcoded)
        {
            _source.Dispose();
        }
        if (disposing && _buffer.Length != 0)
        {
            var buffer = _buffer;
            _buffer = [];
            (_start, _validEnd, _end, _eof) = (0, 0, 0, true);
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
