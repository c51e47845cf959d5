using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class AaConnector : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AaId",
                table: "Consents",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            // ApiClientId becomes nullable (a notification authenticated by the AA's JWS comes through no API client). SQLite
            // needs a table rebuild for that; EF's own rebuild switches foreign keys off outside the migration's transaction,
            // so it is written out here to run inside it (nothing references this table).
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_AaNotificationReceipts" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_AaNotificationReceipts" PRIMARY KEY AUTOINCREMENT,
                    "ApiClientId" INTEGER NULL,
                    "ConsentRecordId" INTEGER NOT NULL,
                    "NotifierId" TEXT NOT NULL,
                    "ReceivedAt" INTEGER NOT NULL,
                    "Status" TEXT NOT NULL,
                    "Timestamp" INTEGER NOT NULL,
                    "Txnid" TEXT NOT NULL,
                    CONSTRAINT "FK_AaNotificationReceipts_ApiClients_ApiClientId" FOREIGN KEY ("ApiClientId") REFERENCES "ApiClients" ("Id") ON DELETE RESTRICT,
                    CONSTRAINT "FK_AaNotificationReceipts_Consents_ConsentRecordId" FOREIGN KEY ("ConsentRecordId") REFERENCES "Consents" ("Id") ON DELETE RESTRICT
                );
                INSERT INTO "ef_temp_AaNotificationReceipts" ("Id", "ApiClientId", "ConsentRecordId", "NotifierId", "ReceivedAt", "Status", "Timestamp", "Txnid")
                SELECT "Id", "ApiClientId", "ConsentRecordId", "NotifierId", "ReceivedAt", "Status", "Timestamp", "Txnid" FROM "AaNotificationReceipts";
                DROP TABLE "AaNotificationReceipts";
                ALTER TABLE "ef_temp_AaNotificationReceipts" RENAME TO "AaNotificationReceipts";
                CREATE INDEX "IX_AaNotificationReceipts_ApiClientId" ON "AaNotificationReceipts" ("ApiClientId");
                CREATE INDEX "IX_AaNotificationReceipts_ConsentRecordId_Timestamp" ON "AaNotificationReceipts" ("ConsentRecordId", "Timestamp");
                CREATE UNIQUE INDEX "IX_AaNotificationReceipts_Txnid" ON "AaNotificationReceipts" ("Txnid");
                """);

            migrationBuilder.CreateTable(
                name: "AaConsentRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerHandle = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: true),
                    AaId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ConsentHandle = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ConsentRecordId = table.Column<int>(type: "INTEGER", nullable: true),
                    PurposeCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    FetchType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FiDataFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    FiDataTo = table.Column<long>(type: "INTEGER", nullable: false),
                    ConsentExpiry = table.Column<long>(type: "INTEGER", nullable: false),
                    DataLifeMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    FrequencyUnit = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    FrequencyValue = table.Column<int>(type: "INTEGER", nullable: true),
                    RequestJson = table.Column<string>(type: "TEXT", nullable: false),
                    ArtefactJson = table.Column<string>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    LastCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StatusChangedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AaConsentRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AaConsentRequests_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AaConsentRequests_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AaFetches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ConsentRecordId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RangeFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    RangeTo = table.Column<long>(type: "INTEGER", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Accounts = table.Column<int>(type: "INTEGER", nullable: false),
                    Transactions = table.Column<int>(type: "INTEGER", nullable: false),
                    Rejected = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AaFetches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AaFetches_Consents_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "Consents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AaFetches_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "JobLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLeases", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_ConsentHandle",
                table: "AaConsentRequests",
                column: "ConsentHandle",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_ConsentId",
                table: "AaConsentRequests",
                column: "ConsentId");

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_ConsentRecordId",
                table: "AaConsentRequests",
                column: "ConsentRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_AaConsentRequests_CustomerId",
                table: "AaConsentRequests",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AaFetches_ConsentRecordId_RequestedAt",
                table: "AaFetches",
                columns: new[] { "ConsentRecordId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AaFetches_CustomerId",
                table: "AaFetches",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AaFetches_SessionId",
                table: "AaFetches",
                column: "SessionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AaConsentRequests");

            migrationBuilder.DropTable(
                name: "AaFetches");

            migrationBuilder.DropTable(
                name: "JobLeases");

            migrationBuilder.DropColumn(
                name: "AaId",
                table: "Consents");

            migrationBuilder.AlterColumn<int>(
                name: "ApiClientId",
                table: "AaNotificationReceipts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
