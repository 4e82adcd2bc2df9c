using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Customers;

/// <summary>The <c>Cs</c> section: the contract a won deal starts and when its renewal is announced.</summary>
public sealed class CsOptions
{
    public const string Section = "Cs";
    public const int MaxTermMonths = 120;

    /// <summary>Contract term when <c>won</c> (or <c>renewed</c>) names none.</summary>
    public int DefaultTermMonths { get; set; } = 12;

    /// <summary>How many days before the renewal date the renewal card goes out.</summary>
    public int RenewalNoticeDays { get; set; } = 60;
}

public sealed class CsOptionsValidator : IValidateOptions<CsOptions>
{
    public ValidateOptionsResult Validate(string? name, CsOptions options) =>
        new SettingChecks(CsOptions.Section)
            .Between(nameof(options.DefaultTermMonths), options.DefaultTermMonths, 1, CsOptions.MaxTermMonths)
            .Between(nameof(options.RenewalNoticeDays), options.RenewalNoticeDays, 1, 365)
            .Result;
}
