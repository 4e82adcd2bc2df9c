using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TheModel.Api.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboxFirstAttempt : Migration
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

            // Rows already tried: their first attempt was no earlier than their creation (the Slack look-up window starts there).
            migrationBuilder.Sql("UPDATE \"Outbox\" SET \"FirstAttemptAt\" = \"CreatedAt\", \"LastAttemptAt\" = \"CreatedAt\" WHERE \"Attempts\" > 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirstAttemptAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "RequeuedAt",
                table: "Outbox");
        }
    }
}
