using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations.PostgreSql
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
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    StampVersion = table.Column<long>(type: "bigint", nullable: false),
                    Sessions = table.Column<string>(type: "text", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Payload = table.Column<byte[]>(type: "bytea", nullable: false),
                    ComputedAtUnixMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForecastSnapshots", x => x.CustomerId);
                });

            // Raw SQL: as in SQLite's ForecastSnapshots migration, a bump of a customer's data stamp deletes its persisted
            // queue rows in the same transaction (the reader's version check is the rule, this is the clean-up).
            migrationBuilder.Sql("""
                CREATE FUNCTION "ForecastSnapshots_forget"() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    DELETE FROM "ForecastSnapshots" WHERE "CustomerId" = NEW."CustomerId";
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER "ForecastSnapshots_forget" AFTER UPDATE OF "Version" ON "DataStamps" FOR EACH ROW
                    WHEN (NEW."CustomerId" <> 0) EXECUTE FUNCTION "ForecastSnapshots_forget"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "ForecastSnapshots_forget" ON "DataStamps";
                DROP FUNCTION IF EXISTS "ForecastSnapshots_forget"();
                """);
            migrationBuilder.DropTable(
                name: "ForecastSnapshots");
        }
    }
}
