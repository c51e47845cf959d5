using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class BulkTransactions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Issue 17: the merge key (AccountId, TxnKey) of two integers instead of (AccountId, TxnId) text; TxnKey is
            // TransactionKey.Of(TxnId), computed here for the stored rows in SQL (the first 8 bytes of MD5, big-endian).
            // By hand for the partitioned table (the index is created on the parent and so on every partition).
            migrationBuilder.Sql($"""
                ALTER TABLE "Transactions" ADD COLUMN "TxnKey" bigint;
                UPDATE "Transactions" SET "TxnKey" = {Data.TransactionKey.PostgreSqlExpression("\"TxnId\"")};
                ALTER TABLE "Transactions" ALTER COLUMN "TxnKey" SET NOT NULL;
                DROP INDEX "IX_Transactions_AccountId_TxnId";
                CREATE UNIQUE INDEX "IX_Transactions_AccountId_TxnKey" ON "Transactions" ("AccountId", "TxnKey");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX "IX_Transactions_AccountId_TxnKey";
                CREATE UNIQUE INDEX "IX_Transactions_AccountId_TxnId" ON "Transactions" ("AccountId", "TxnId");
                ALTER TABLE "Transactions" DROP COLUMN "TxnKey";
                """);
        }
    }
}
