using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Health;

/// <summary>The <c>Health</c> section.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary><c>/readyz</c> reports the outbox stuck once its oldest pending message is older than this.</summary>
    public TimeSpan OutboxMaxAge { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options) =>
        new SettingChecks(HealthOptions.Section).Positive(nameof(options.OutboxMaxAge), options.OutboxMaxAge).Result;
}
