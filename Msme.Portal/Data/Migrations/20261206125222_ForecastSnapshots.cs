using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ForecastSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ForecastSnapshots",
                columns: table => new
                {
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    StampVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    Sessions = table.Column<string>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ComputedAtUnixMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForecastSnapshots", x => x.CustomerId);
                });

            // Raw SQL: a customer's persisted queue rows go in the same transaction as any bump of its data stamp (the
            // ConsentGate migration's triggers: consent change, session, purge, account, loan book, anomaly review), so a
            // revoked or purged customer's forecasts leave no trace in the store; the reader's version check is the rule,
            // this is the clean-up.
            migrationBuilder.Sql("""
                CREATE TRIGGER "ForecastSnapshots_forget" AFTER UPDATE OF "Version" ON "DataStamps" WHEN NEW."CustomerId" <> 0 BEGIN
                    DELETE FROM "ForecastSnapshots" WHERE "CustomerId" = NEW."CustomerId";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ForecastSnapshots_forget";""");
            migrationBuilder.DropTable(
                name: "ForecastSnapshots");
        }
    }
}
