using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Msme.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class AnomalyEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Findings",
                table: "AnomalyReviewEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EscalationWorkItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AnomalyKey = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Period = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    AmountPaise = table.Column<long>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedById = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DoneById = table.Column<string>(type: "TEXT", nullable: true),
                    DoneByName = table.Column<string>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EscalationWorkItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EscalationWorkItems_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EscalationWorkItems_CustomerId",
                table: "EscalationWorkItems",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_EscalationWorkItems_Target_DoneAt",
                table: "EscalationWorkItems",
                columns: new[] { "Target", "DoneAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EscalationWorkItems");

            migrationBuilder.DropColumn(
                name: "Findings",
                table: "AnomalyReviewEvents");
        }
    }
}
