using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TheModel.Api.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CustomerSuccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_Leads_RenewalDueAt",
                table: "Leads",
                column: "RenewalDueAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_RenewalDueAt",
                table: "Leads");

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
        }
    }
}
