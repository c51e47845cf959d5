using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Ingestion;

/// <summary>
/// A store written before the bulk schema (AUTOINCREMENT key, the text merge key) migrates at start-up without losing a
/// row: ids, values and lineage kept, every row given its 64-bit merge key, and the importer merges against them.
/// </summary>
public class TransactionKeyMigrationTests
{
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    /// <summary>The last migration before the bulk schema, per provider.</summary>
    protected virtual string Before => "20261206103621_DataProtectionKeys";

    [SkippableFact]
    public async Task An_old_store_with_transactions_keeps_every_row_and_gains_the_merge_key()
    {
        await using var store = await TestStore.CreateAsync(provider: Provider, upTo: Before);
        var rows = new[] { ("T-1", 125_00L), ("T-2", 99_950L), ("ünïcode-टी-3", 1L) };
        await using (var connection = await store.OpenOutsideConnectionAsync())
        {
            await Exec(connection, """
                INSERT INTO "Customers" ("AaHandle", "CreatedAt") VALUES ('old@aa', 0);
                INSERT INTO "Consents" ("ConsentId", "CustomerId", "Status", "ConsentTypes", "FiTypes", "DataFiltersJson", "ReceivedAt") VALUES ('c-old', 1, 'Active', '', '', '[]', 0);
                INSERT INTO "FetchSessions" ("SessionId", "ConsentRecordId", "FetchedAt", "Status", "ImportedAt", "BundleName", "TransactionsAdded", "TransactionsOverlapping", "TransactionsFilteredOut", "TransactionsPurged")
                    VALUES ('s-old', 1, 0, 'COMPLETED', 0, 'b', 3, 0, 0, 0);
                INSERT INTO "Accounts" ("CustomerId", "FipId", "LinkedAccRef", "MaskedAccNumber", "HoldersJson", "LastFetchSessionId") VALUES (1, 'FIP', 'ref', 'XX1', '[]', 1);
                """);
            var position = 0;
            foreach (var (txnId, paise) in rows)
            {
                await Exec(connection, $"""
                    INSERT INTO "Transactions" ("AccountId", "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference", "Position")
                    VALUES (1, 1, '{txnId}', 'CREDIT', 'UPI', {paise}, 0, {1_750_000_000_000 + position}, '2025-06-15', NULL, 'n', NULL, {position});
                    """);
                position++;
            }
        }

        await store.MigrateAsync();

        await using (var connection = await store.OpenOutsideConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "Id", "TxnId", "TxnKey", "AmountPaise", "FetchSessionId", "Position" FROM "Transactions" ORDER BY "Id";""";
            await using var reader = await command.ExecuteReaderAsync();
            var read = new List<(long Id, string TxnId, long Key, long Paise, int Session, int Position)>();
            while (await reader.ReadAsync())
            {
                read.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5)));
            }
            Assert.Equal(rows.Select((r, i) => ((long)i + 1, r.Item1, TransactionKey.Of(r.Item1), r.Item2, 1, i)), read);
        }
        // The merge key is unique per account: a second row with a stored (account, key) is refused by the store itself.
        await using (var db = await store.DbAsync())
        {
            db.Transactions.Add(new Data.Entities.AccountTransaction
            {
                AccountId = 1, FetchSessionId = 1, TxnId = "T-1", Type = "DEBIT", AmountPaise = 1, Date = new DateOnly(2025, 6, 16), Position = 9,
            });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        await using (var db = await store.DbAsync())
        {
            // A new row gets an id after the stored ones (on PostgreSQL the refused insert above has used one up).
            var added = new Data.Entities.AccountTransaction
            {
                AccountId = 1, FetchSessionId = 1, TxnId = "T-4", Type = "DEBIT", AmountPaise = 1, Date = new DateOnly(2025, 6, 16), Position = 3,
            };
            db.Transactions.Add(added);
            await db.SaveChangesAsync();
            Assert.True(added.Id > rows.Length, $"new id {added.Id}");
            Assert.Equal(TransactionKey.Of("T-4"), added.TxnKey);
        }
    }

    [Fact]
    public void The_key_is_md5s_first_eight_bytes_big_endian()
    {
        // md5("T-1") = 0a7d... : the same value PostgreSQL's ('x' || left(md5(txnId), 16))::bit(64)::bigint gives.
        var md5 = System.Security.Cryptography.MD5.HashData("T-1"u8);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(md5), TransactionKey.Of("T-1"));
        Assert.NotEqual(TransactionKey.Of("T-1"), TransactionKey.Of("T-2"));
        Assert.Equal(TransactionKey.Of(new string('x', 300)), TransactionKey.Of(new string('x', 300)));
    }

    private static async Task Exec(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The same migration on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class TransactionKeyMigrationTestsOnPostgreSql : TransactionKeyMigrationTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;

    protected override string Before => "20261206104848_CollectionActions";
}

/// <summary>The managed single-block MD5 behind <see cref="TransactionKey.Of"/> gives the library's digest.</summary>
public class ShortMd5Tests
{
    private static long Library(ReadOnlySpan<byte> message) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(System.Security.Cryptography.MD5.HashData(message));

    [Fact]
    public void Every_length_that_fits_one_block_matches_the_library()
    {
        var random = new Random(17);
        for (var length = 0; length <= ShortMd5.MaxLength; length++)
        {
            for (var trial = 0; trial < 50; trial++)
            {
                var message = new byte[length];
                random.NextBytes(message);
                Assert.Equal(Library(message), ShortMd5.First64(message));
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("T-1")]
    [InlineData("TXN0000000123456789")]
    [InlineData("ÜPI/ताज़ा/€")]
    [InlineData("a txnId of exactly fifty-five bytes, padded to the end.")]
    [InlineData("a txnId of fifty-six bytes goes through the library path")]
    public void Transaction_keys_are_the_first_eight_bytes_of_md5(string txnId) =>
        Assert.Equal(Library(System.Text.Encoding.UTF8.GetBytes(txnId)), TransactionKey.Of(txnId));
}
