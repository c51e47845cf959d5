using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Msme.Portal.Data;

/// <summary>
/// The compact merge key of a transaction within its account: the first 8 bytes of MD5 over the txnId's UTF-8 bytes,
/// read big-endian as a signed 64-bit integer. The unique index is (AccountId, TxnKey): two integers, where the text key
/// (AccountId, TxnId) stored every txnId a second time in the index and compared strings on every insert.
/// </summary>
/// <remarks>
/// MD5 because both stores can compute the same value in SQL when a migration fills the key of existing rows
/// (PostgreSQL: <c>('x' || left(md5("TxnId"), 16))::bit(64)::bigint</c>; SQLite: the <c>msme_txn_key</c> function the store
/// registers on the connection it migrates on, which calls <see cref="Of"/>); not for secrecy. A collision is checked, never assumed away: a row whose key
/// meets a stored row with another txnId is reported as a conflict and its bundle rejected (the chance is about n²/2⁶⁵ for
/// an account of n rows: 3·10⁻¹⁰ at 100,000).
/// </remarks>
public static class TransactionKey
{
    /// <summary>The SQLite function's name, registered on the connection the store migrates on (for the migration that adds the key).</summary>
    public const string SqliteFunction = "msme_txn_key";

    /// <summary>The same key in PostgreSQL's SQL, over a text expression.</summary>
    public static string PostgreSqlExpression(string text) => $"('x' || left(md5({text}), 16))::bit(64)::bigint";

    public static long Of(string txnId)
    {
        Span<byte> digest = stackalloc byte[16];
        var max = Encoding.UTF8.GetMaxByteCount(txnId.Length);
        if (max <= 256)
        {
            Span<byte> utf8 = stackalloc byte[max];
            var length = Encoding.UTF8.GetBytes(txnId, utf8);
            if (length <= ShortMd5.MaxLength)
            {
                return ShortMd5.First64(utf8[..length]);
            }
            MD5.HashData(utf8[..length], digest);
        }
        else
        {
            MD5.HashData(Encoding.UTF8.GetBytes(txnId), digest);
        }
        return BinaryPrimitives.ReadInt64BigEndian(digest);
    }
}

/// <summary>
/// MD5 (RFC 1321) of a message that fits one 64-byte block (at most 55 bytes: every txnId seen), first 8 bytes of the
/// digest read big-endian. The library's MD5 goes through OpenSSL, whose per-call set-up cost about 0.6 µs here: most of
/// the import readers' time went to it (measured, issue 17). One block is a few hundred integer operations. Tests
/// compare it with <see cref="MD5.HashData(ReadOnlySpan{byte}, Span{byte})"/> on every length 0-55 and random inputs.
/// </summary>
internal static class ShortMd5
{
    public const int MaxLength = 55;

    private static ReadOnlySpan<uint> K =>
    [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];

    private static ReadOnlySpan<byte> Shifts =>
    [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    public static long First64(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(message), message.Length, "one block holds at most 55 bytes");
        }

        // The padded block: the message, 0x80, zeros, and the length in bits as a little-endian 64-bit number.
        Span<byte> block = stackalloc byte[64];
        block.Clear();
        message.CopyTo(block);
        block[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(block[56..], (ulong)message.Length * 8);
        Span<uint> m = stackalloc uint[16];
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }

        uint a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
        uint a = a0, b = b0, c = c0, d = d0;
        for (var i = 0; i < 64; i++)
        {
            uint f;
            int g;
            switch (i >> 4)
            {
                case 0: f = (b & c) | (~b & d); g = i; break;
                case 1: f = (d & b) | (~d & c); g = ((5 * i) + 1) & 15; break;
                case 2: f = b ^ c ^ d; g = ((3 * i) + 5) & 15; break;
                default: f = c ^ (b | ~d); g = (7 * i) & 15; break;
            }

            f += a + K[i] + m[g];
            a = d;
            d = c;
            c = b;
            b += System.Numerics.BitOperations.RotateLeft(f, Shifts[i]);
        }

        // The digest is A, B, C, D little-endian; its first 8 bytes (A then B) are read big-endian.
        Span<byte> first = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(first, a0 + a);
        BinaryPrimitives.WriteUInt32LittleEndian(first[4..], b0 + b);
        return BinaryPrimitives.ReadInt64BigEndian(first);
    }
}
