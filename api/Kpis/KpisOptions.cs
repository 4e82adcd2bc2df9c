using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Kpis;

/// <summary>The <c>Kpis</c> section.</summary>
public sealed class KpisOptions
{
    public const string Section = "Kpis";

    /// <summary>Days without activity after which an accepted SQL counts as neglected (リード放置).</summary>
    public int NeglectDays { get; set; } = KpiQueries.DefaultNeglectDays;
}

public sealed class KpisOptionsValidator : IValidateOptions<KpisOptions>
{
    public ValidateOptionsResult Validate(string? name, KpisOptions options) =>
        new SettingChecks(KpisOptions.Section).AtLeast(nameof(options.NeglectDays), options.NeglectDays, 1).Result;
}
