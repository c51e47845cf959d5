using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class CollectionActions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    LoanKey = table.Column<int>(type: "INTEGER", nullable: true),
                    LoanId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    UpiUri = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    AmountPaise = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Sender = table.Column<string>(type: "TEXT", nullable: true),
                    SenderReference = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OutboxMessages_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OutboxMessages_Loans_LoanKey",
                        column: x => x.LoanKey,
                        principalTable: "Loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PresentmentBatches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UtilityCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SponsorBank = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PeriodFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PeriodTo = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AsOf = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HeldCount = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalPaise = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpectedReturnRate = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Projection = table.Column<string>(type: "TEXT", nullable: false),
                    CrossesLine = table.Column<bool>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    FileContent = table.Column<string>(type: "TEXT", nullable: false),
                    FileSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PreparedByUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PreparedByName = table.Column<string>(type: "TEXT", nullable: false),
                    PreparedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ApprovedByUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ApprovedByName = table.Column<string>(type: "TEXT", nullable: true),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LineAcknowledged = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PresentmentBatches", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_CustomerId_CreatedAt",
                table: "OutboxMessages",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_LoanKey",
                table: "OutboxMessages",
                column: "LoanKey");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_Id",
                table: "OutboxMessages",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PresentmentBatches_PreparedAt",
                table: "PresentmentBatches",
                column: "PreparedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "PresentmentBatches");
        }
    }
}
