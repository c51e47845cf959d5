using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class BulkTransactions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Issue 17: the transactions table rebuilt for bulk import, keeping every row and its id. A rowid key without
            // AUTOINCREMENT (which wrote sqlite_sequence on every insert), and the merge key (AccountId, TxnKey) of two
            // integers instead of (AccountId, TxnId) text: TxnKey is TransactionKey.Of(TxnId), computed for the stored rows
            // by the msme_txn_key function the store registers on the connection it migrates on. Written by hand: EF Core's own rebuild
            // would copy the rows with a constant key and the unique index would refuse them.
            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_Transactions" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Transactions" PRIMARY KEY,
                    "AccountId" INTEGER NOT NULL,
                    "FetchSessionId" INTEGER NOT NULL,
                    "TxnId" TEXT NOT NULL,
                    "Type" TEXT NOT NULL,
                    "Mode" TEXT NULL,
                    "AmountPaise" INTEGER NOT NULL,
                    "BalancePaise" INTEGER NOT NULL,
                    "TimestampUnixMs" INTEGER NOT NULL,
                    "Date" TEXT NOT NULL,
                    "ValueDate" TEXT NULL,
                    "Narration" TEXT NULL,
                    "Reference" TEXT NULL,
                    "Position" INTEGER NOT NULL,
                    "TxnKey" INTEGER NOT NULL,
                    CONSTRAINT "FK_Transactions_Accounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "Accounts" ("Id") ON DELETE RESTRICT
                );
                INSERT INTO "ef_temp_Transactions" ("Id", "AccountId", "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference", "Position", "TxnKey")
                SELECT "Id", "AccountId", "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference", "Position", {Data.TransactionKey.SqliteFunction}("TxnId") FROM "Transactions" ORDER BY "Id";
                DROP TABLE "Transactions";
                ALTER TABLE "ef_temp_Transactions" RENAME TO "Transactions";
                CREATE UNIQUE INDEX "IX_Transactions_AccountId_TxnKey" ON "Transactions" ("AccountId", "TxnKey");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Transactions" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Transactions" PRIMARY KEY AUTOINCREMENT,
                    "AccountId" INTEGER NOT NULL,
                    "FetchSessionId" INTEGER NOT NULL,
                    "TxnId" TEXT NOT NULL,
                    "Type" TEXT NOT NULL,
                    "Mode" TEXT NULL,
                    "AmountPaise" INTEGER NOT NULL,
                    "BalancePaise" INTEGER NOT NULL,
                    "TimestampUnixMs" INTEGER NOT NULL,
                    "Date" TEXT NOT NULL,
                    "ValueDate" TEXT NULL,
                    "Narration" TEXT NULL,
                    "Reference" TEXT NULL,
                    "Position" INTEGER NOT NULL,
                    CONSTRAINT "FK_Transactions_Accounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "Accounts" ("Id") ON DELETE RESTRICT
                );
                INSERT INTO "ef_temp_Transactions" ("Id", "AccountId", "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference", "Position")
                SELECT "Id", "AccountId", "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference", "Position" FROM "Transactions" ORDER BY "Id";
                DROP TABLE "Transactions";
                ALTER TABLE "ef_temp_Transactions" RENAME TO "Transactions";
                CREATE UNIQUE INDEX "IX_Transactions_AccountId_TxnId" ON "Transactions" ("AccountId", "TxnId");
                """);
        }
    }
}
