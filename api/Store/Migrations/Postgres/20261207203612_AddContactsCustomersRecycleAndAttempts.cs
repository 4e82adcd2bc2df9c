using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TheModel.Api.Store.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastAttemptAt",
                table: "Outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RequeuedAt",
                table: "Outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ChurnedAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OnboardedAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RenewalDueAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WonAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RoutingFacts",
                table: "Handoffs",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Activities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LeadId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ContactClocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LeadId = table.Column<Guid>(type: "uuid", nullable: false),
                    Stage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FirstTouchAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstContactAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstTouchBusinessHours = table.Column<double>(type: "double precision", nullable: true),
                    NextCheckAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactClocks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LeadSteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LeadId = table.Column<Guid>(type: "uuid", nullable: false),
                    Step = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Late = table.Column<bool>(type: "boolean", nullable: false),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
