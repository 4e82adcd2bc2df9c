using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TheModel.Api.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddPersonRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "People",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Member");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Role",
                table: "People");
        }
    }
}
