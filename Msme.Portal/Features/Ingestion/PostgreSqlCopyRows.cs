using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Rows in PostgreSQL's binary COPY format, encoded straight into one reusable buffer and sent over a raw COPY stream.
/// Npgsql's <see cref="NpgsqlBinaryImporter"/> resolves a type handler for every field it writes; at fourteen fields a
/// transaction that was most of the import's time (Msme.Benchmarks scale, PostgreSQL). The format is PostgreSQL's own
/// (the COPY documentation, "Binary Format"): a signature and two zero words, then per row a 16-bit field count and per
/// field a 32-bit length (−1 for NULL) and the value in network byte order, then a −1 trailer.
/// </summary>
/// <remarks>
/// Only the types the transactions table uses: <c>integer</c>, <c>bigint</c>, <c>date</c> (days since 2000-01-01) and
/// <c>text</c> (UTF-8: Npgsql always sets <c>client_encoding</c> to UTF8). The table's column types must match exactly,
/// as with any binary COPY; PostgreSQL refuses the COPY otherwise, so a mismatch cannot write wrong values.
/// </remarks>
internal sealed class PostgreSqlCopyRows
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    /// <summary>Sent to the server whenever this much is buffered, so a very large bundle does not grow the buffer without end.</summary>
    private const int FlushAt = 1 << 20;

    private byte[] _buffer = new byte[64 * 1024];
    private int _length;
    private NpgsqlRawCopyStream? _stream;

    /// <summary>Opens the COPY (<paramref name="command"/> is a <c>COPY … FROM STDIN (FORMAT BINARY)</c>) and writes the header.</summary>
    public void Begin(NpgsqlConnection connection, string command)
    {
        _stream = connection.BeginRawBinaryCopy(command);
        _length = 0;
        Append(Header);
    }

    public void Row(short fields)
    {
        if (_length >= FlushAt)
        {
            Flush();
        }
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), fields);
    }

    public void Int32(int value)
    {
        var span = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
    }

    public void Int64(long value)
    {
        var span = Reserve(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    public void Date(DateOnly value) => Int32(value.DayNumber - PostgresEpochDay);

    public void Date(DateOnly? value)
    {
        if (value is { } date)
        {
            Date(date);
        }
        else
        {
            Null();
        }
    }

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        Ensure(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var bytes = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), bytes);
        _length += 4 + bytes;
    }

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    /// <summary>Writes the trailer and ends the COPY; the server has every row when this returns.</summary>
    public void Complete()
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        Flush();
        var stream = _stream!;
        _stream = null;
        stream.Dispose();
    }

    /// <summary>Abandons an open COPY (after a failure while encoding): the server discards what it received.</summary>
    public void Cancel()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            try
            {
                stream.Cancel();
            }
            finally
            {
                stream.Dispose();
            }
        }
    }

    private void Flush()
    {
        _stream!.Write(_buffer, 0, _length);
        _length = 0;
    }

    private void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    private Span<byte> Reserve(int bytes)
    {
        Ensure(bytes);
        var span = _buffer.AsSpan(_length, bytes);
        _length += bytes;
        return span;
    }

    private void Ensure(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }
    }
}
