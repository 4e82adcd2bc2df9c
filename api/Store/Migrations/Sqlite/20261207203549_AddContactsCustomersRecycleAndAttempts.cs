using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TheModel.Api.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddContactsCustomersRecycleAndAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FirstAttemptAt",
                table: "Outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastAttemptAt",
                table: "Outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RequeuedAt",
                table: "Outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ChurnedAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OnboardedAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RenewalDueAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WonAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RoutingFacts",
                table: "Handoffs",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

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

            migrationBuilder.CreateTable(
                name: "LeadSteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Late = table.Column<bool>(type: "INTEGER", nullable: false),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadSteps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_RenewalDueAt",
                table: "Leads",
                column: "RenewalDueAt");

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

            migrationBuilder.CreateIndex(
                name: "IX_LeadSteps_LeadId_Step",
                table: "LeadSteps",
                columns: new[] { "LeadId", "Step" },
                unique: true);

            // Rows already in flight at the upgrade: their first attempt is no later than their creation, so the Slack
            // look-up window starts there rather than at the upgrade.
            migrationBuilder.Sql("UPDATE \"Outbox\" SET \"FirstAttemptAt\" = \"CreatedAt\", \"LastAttemptAt\" = \"CreatedAt\" WHERE \"Attempts\" > 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropTable(
                name: "ContactClocks");

            migrationBuilder.DropTable(
                name: "LeadSteps");

            migrationBuilder.DropIndex(
                name: "IX_Leads_RenewalDueAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "FirstAttemptAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "RequeuedAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ChurnedAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "OnboardedAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RenewalDueAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "WonAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RoutingFacts",
                table: "Handoffs");
        }
    }
}
