using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.People;

/// <summary>The <c>Admin</c> section: <c>Admin:Emails</c>, the people who are admins whatever their stored role says.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary><c>Admin:Emails:0</c>, … or one value such as <c>ops@example.jp, lead@example.jp</c>; compared case-insensitively.</summary>
    public SettingList? Emails { get; set; }

    public bool IsAdminEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && Emails is { Count: > 0 } emails
        && emails.Any(e => string.Equals(e.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>A mistyped admin email would silently leave the bot without an admin: refuse it at start.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var checks = new SettingChecks(AdminOptions.Section);
        foreach (var (email, i) in (options.Emails ?? []).Select((e, i) => (e, i)))
        {
            if (!FieldErrors.IsEmail(email.Trim()))
            {
                checks.Fail($"Emails:{i}", $"is not an email address (was \"{email}\")");
            }
        }
        return checks.Result;
    }
}
