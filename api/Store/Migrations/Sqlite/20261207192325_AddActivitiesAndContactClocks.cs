using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TheModel.Api.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddActivitiesAndContactClocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Activities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ContactClocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FirstTouchAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FirstContactAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FirstTouchBusinessHours = table.Column<double>(type: "REAL", nullable: true),
                    NextCheckAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactClocks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_ExternalId",
                table: "Activities",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_LeadId_At",
                table: "Activities",
                columns: new[] { "LeadId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ContactClocks_LeadId_Stage_StartedAt",
                table: "ContactClocks",
                columns: new[] { "LeadId", "Stage", "StartedAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactClocks_NextCheckAt",
                table: "ContactClocks",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_ContactClocks_Stage_StartedAt",
                table: "ContactClocks",
                columns: new[] { "Stage", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropTable(
                name: "ContactClocks");
        }
    }
}
