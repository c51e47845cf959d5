using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Risk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AnomalyReviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AnomalyKey = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", nullable: false),
                    Detector = table.Column<string>(type: "TEXT", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", nullable: false),
                    Period = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    EscalationTarget = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ReviewerId = table.Column<string>(type: "TEXT", nullable: false),
                    ReviewerName = table.Column<string>(type: "TEXT", nullable: false),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnomalyReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnomalyReviews_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AnomalyReviewEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AnomalyReviewId = table.Column<int>(type: "INTEGER", nullable: false),
                    AnomalyKey = table.Column<string>(type: "TEXT", nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ToState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    EscalationTarget = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ReviewerId = table.Column<string>(type: "TEXT", nullable: false),
                    ReviewerName = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnomalyReviewEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnomalyReviewEvents_AnomalyReviews_AnomalyReviewId",
                        column: x => x.AnomalyReviewId,
                        principalTable: "AnomalyReviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviewEvents_AnomalyReviewId",
                table: "AnomalyReviewEvents",
                column: "AnomalyReviewId");

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviewEvents_ReviewerId_At",
                table: "AnomalyReviewEvents",
                columns: new[] { "ReviewerId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviews_AnomalyKey",
                table: "AnomalyReviews",
                column: "AnomalyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AnomalyReviews_CustomerId",
                table: "AnomalyReviews",
                column: "CustomerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnomalyReviewEvents");

            migrationBuilder.DropTable(
                name: "AnomalyReviews");
        }
    }
}
