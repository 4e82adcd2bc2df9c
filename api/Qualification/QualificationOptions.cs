using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Qualification;

/// <summary>The <c>Qualification</c> section: the MQL threshold in force until an admin sets one at run time.</summary>
public sealed class QualificationOptions
{
    public const string Section = "Qualification";

    public int MqlThreshold { get; set; } = QualificationRules.DefaultMqlThreshold;
}

public sealed class QualificationOptionsValidator : IValidateOptions<QualificationOptions>
{
    /// <summary>Scores run 0–100, so a threshold outside that would make every lead, or none, an MQL.</summary>
    public ValidateOptionsResult Validate(string? name, QualificationOptions options) =>
        new SettingChecks(QualificationOptions.Section).Between(nameof(options.MqlThreshold), options.MqlThreshold, 0, 100).Result;
}
