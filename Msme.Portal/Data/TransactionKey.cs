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
/// registers, which calls <see cref="Of"/>); not for secrecy. A collision is checked, never assumed away: a row whose key
/// meets a stored row with another txnId is reported as a conflict and its bundle rejected (the chance is about n²/2⁶⁵ for
/// an account of n rows: 3·10⁻¹⁰ at 100,000).
/// </remarks>
public static class TransactionKey
{
    /// <summary>The SQLite function name registered on every store connection (used by the migration that adds the key).</summary>
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
            MD5.HashData(utf8[..length], digest);
        }
        else
        {
            MD5.HashData(Encoding.UTF8.GetBytes(txnId), digest);
        }
        return BinaryPrimitives.ReadInt64BigEndian(digest);
    }
}
