using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsentGate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataStamps",
                columns: table => new
                {
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataStamps", x => x.CustomerId);
                });

            // Raw SQL: the triggers that bump a customer's data stamp (and the global row 0) in the same transaction as
            // every write the customer's analysis depends on, from any process or connection (the CLI, a second portal,
            // a DBA's UPDATE). Transactions have none: rows arrive only with a new session (FetchSessions, Accounts)
            // and leave only with a purge (FetchSessions.PurgedAt), and a trigger per row would tax a 6M-row import.
            foreach (var (table, customer) in Watched)
            {
                foreach (var (verb, row) in new[] { ("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD") })
                {
                    // A row whose parent is already gone (a cascade) counts for the global stamp only.
                    var id = $"COALESCE({customer.Replace("@", row, System.StringComparison.Ordinal)}, 0)";
                    migrationBuilder.Sql($"""
                        CREATE TRIGGER "DataStamp_{table}_{verb}" AFTER {verb} ON "{table}" BEGIN
                            INSERT OR IGNORE INTO "DataStamps" ("CustomerId", "Version") VALUES ({id}, 0), (0, 0);
                            UPDATE "DataStamps" SET "Version" = "Version" + 1 WHERE "CustomerId" IN ({id}, 0);
                        END;
                        """);
                }
            }
        }

        /// <summary>Each watched table and the expression of the customer a row belongs to (@ is NEW or OLD).</summary>
        private static readonly (string Table, string Customer)[] Watched =
        [
            ("Consents", "@.\"CustomerId\""),
            ("FetchSessions", "(SELECT \"CustomerId\" FROM \"Consents\" WHERE \"Id\" = @.\"ConsentRecordId\")"),
            ("Accounts", "@.\"CustomerId\""),
            ("Loans", "@.\"CustomerId\""),
            ("LoanInstalments", "(SELECT \"CustomerId\" FROM \"Loans\" WHERE \"Id\" = @.\"LoanKey\")"),
            ("BucketMoves", "(SELECT \"CustomerId\" FROM \"Loans\" WHERE \"Id\" = @.\"LoanKey\")"),
            ("AnomalyReviews", "@.\"CustomerId\""),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Watched)
            {
                foreach (var verb in new[] { "INSERT", "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"DataStamp_{table}_{verb}\";");
                }
            }
            migrationBuilder.DropTable(
                name: "DataStamps");
        }
    }
}
