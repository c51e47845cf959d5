using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AaId",
                table: "ApiClients",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AaNotificationReceipts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Txnid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ConsentRecordId = table.Column<int>(type: "INTEGER", nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NotifierId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ApiClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AaNotificationReceipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AaNotificationReceipts_ApiClients_ApiClientId",
                        column: x => x.ApiClientId,
                        principalTable: "ApiClients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AaNotificationReceipts_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AaNotificationReceipts_ApiClientId",
                table: "AaNotificationReceipts",
                column: "ApiClientId");

            migrationBuilder.CreateIndex(
                name: "IX_AaNotificationReceipts_ConsentRecordId_Timestamp",
                table: "AaNotificationReceipts",
                columns: new[] { "ConsentRecordId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_AaNotificationReceipts_Txnid",
                table: "AaNotificationReceipts",
                column: "Txnid",
                unique: true);

            // The audit trail is append-only in the schema itself: a row cannot be changed or removed through SQL,
            // whichever program opens the file. (Retention, if ever needed, is its own audited mechanism.)
            migrationBuilder.Sql("""
                CREATE TRIGGER AuditEntries_no_update BEFORE UPDATE ON AuditEntries
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE is refused'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER AuditEntries_no_delete BEFORE DELETE ON AuditEntries
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE is refused'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEntries_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEntries_no_delete;");

            migrationBuilder.DropTable(
                name: "AaNotificationReceipts");

            migrationBuilder.DropColumn(
                name: "AaId",
                table: "ApiClients");
        }
    }
}
