using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;

namespace TheModel.Api.Sla;

/// <summary>
/// The <c>Sla</c> section as written: per-kind policies (<c>Sla:MqlToIs:AcceptWithinHours</c>, <c>…:Reminders</c>,
/// <c>…:ReassignAfterHours</c>, <c>…:MaxReassignments</c>, <c>…:ContactWithinHours</c>, <c>…:ContactReminders</c>), the sweep interval and when a step counts as late. A key
/// left out keeps the literature default (<see cref="SlaPolicy.DefaultFor"/>). <see cref="SlaConfiguration"/> is the
/// checked, typed result the services use.
/// </summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    public SlaPolicyOptions MqlToIs { get; set; } = new();
    public SlaPolicyOptions SqlToFs { get; set; } = new();
    public SlaPolicyOptions WonToCs { get; set; } = new();

    /// <summary>How often the sweep runs: a TimeSpan such as <c>00:00:30</c>, or seconds (<c>30</c>). Default 30 s.</summary>
    public string? SweepInterval { get; set; }

    /// <summary>A step done more than this after its due time is marked late (same forms). Default two sweep intervals.</summary>
    public string? LateAfter { get; set; }

    public SlaPolicyOptions For(HandoffKind kind) => kind switch
    {
        HandoffKind.MqlToIs => MqlToIs,
        HandoffKind.SqlToFs => SqlToFs,
        HandoffKind.WonToCs => WonToCs,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no Sla section for this kind"),
    };

    /// <summary>The section bound from <paramref name="configuration"/> (its root, not the <c>Sla</c> section).</summary>
    public static SlaOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<SlaOptions>() ?? new SlaOptions();
}

/// <summary>One kind's policy in configuration; every field is optional.</summary>
public sealed class SlaPolicyOptions
{
    public double? AcceptWithinHours { get; set; }
    /// <summary>Fractions of the window, ascending, each in (0, 1): <c>Reminders:0</c>, … or <c>0.5,0.8</c>.</summary>
    public SettingList? Reminders { get; set; }
    public double? ReassignAfterHours { get; set; }
    public int? MaxReassignments { get; set; }
    /// <summary>The first-contact clock (<c>Sla:MqlToIs:ContactWithinHours</c>); MqlToIs and SqlToFs only.</summary>
    public double? ContactWithinHours { get; set; }
    /// <summary>Fractions of the contact window, like <see cref="Reminders"/>.</summary>
    public SettingList? ContactReminders { get; set; }
}

/// <summary>Checks the <c>Sla</c> section at start: each bad value is one failure naming its key.</summary>
public sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        SlaConfiguration.TryCreate(options, out _, out var checks);
        return checks.Result;
    }
}

/// <summary>
/// The SLA part of configuration, checked and typed: per-kind policies, the sweep interval and when a step counts as
/// late. Built once at start from <see cref="SlaOptions"/>; a bad value stops the start with the key named.
/// </summary>
public sealed class SlaConfiguration
{
    private SlaConfiguration(IReadOnlyDictionary<HandoffKind, SlaPolicy> policies, TimeSpan sweepInterval, TimeSpan lateAfter)
    {
        Policies = policies;
        SweepInterval = sweepInterval;
        LateAfter = lateAfter;
    }

    /// <summary>From checked options; throws (naming every bad key) when they were not checked.</summary>
    public SlaConfiguration(IOptions<SlaOptions> options) : this(Create(options.Value))
    {
    }

    /// <summary>Straight from configuration (tools and tests that have no host); throws naming every bad key.</summary>
    public SlaConfiguration(IConfiguration configuration) : this(Create(SlaOptions.From(configuration)))
    {
    }

    private SlaConfiguration(SlaConfiguration created) : this(created.Policies, created.SweepInterval, created.LateAfter)
    {
    }

    public IReadOnlyDictionary<HandoffKind, SlaPolicy> Policies { get; }

    /// <summary>How often the sweep runs (<c>Sla:SweepInterval</c>, a TimeSpan such as <c>00:00:30</c>, or seconds).</summary>
    public TimeSpan SweepInterval { get; }

    /// <summary>A step done more than this after its due time is marked late (<c>Sla:LateAfter</c>, default two sweep intervals).</summary>
    public TimeSpan LateAfter { get; }

    private static SlaConfiguration Create(SlaOptions options) =>
        TryCreate(options, out var configuration, out var checks)
            ? configuration
            : throw new InvalidOperationException("SLA configuration is invalid: " + string.Join("; ", checks.Failures));

    internal static bool TryCreate(SlaOptions options, out SlaConfiguration configuration, out SettingChecks checks)
    {
        checks = new SettingChecks(SlaOptions.Section);
        var policies = new Dictionary<HandoffKind, SlaPolicy>();
        foreach (var kind in Enum.GetValues<HandoffKind>())
        {
            var given = options.For(kind);
            var settings = new SlaPolicySettings
            {
                AcceptWithinHours = given.AcceptWithinHours,
                Reminders = given.Reminders is { } texts ? Fractions(texts, $"{kind}:{nameof(given.Reminders)}", checks) : null,
                ReassignAfterHours = given.ReassignAfterHours,
                MaxReassignments = given.MaxReassignments,
                ContactWithinHours = given.ContactWithinHours,
                ContactReminders = given.ContactReminders is { } contact ? Fractions(contact, $"{kind}:{nameof(given.ContactReminders)}", checks) : null,
            };
            // The settings API's rules, so configuration and PUT /api/settings/sla accept the same policies; its field
            // names (acceptWithinHours) are turned back into the configuration's keys (MqlToIs:AcceptWithinHours).
            var errors = new Dictionary<string, string[]>();
            policies[kind] = settings.ApplyTo(SlaPolicy.DefaultFor(kind), "", errors) ?? SlaPolicy.DefaultFor(kind);
            foreach (var (field, problems) in errors)
            {
                var key = field.TrimStart('.');
                checks.Fail($"{kind}:{char.ToUpperInvariant(key[0])}{key[1..]}", $"{string.Join(", ", problems)} (was {Was(given, key)})");
            }
        }
        var sweep = Duration(options.SweepInterval, nameof(options.SweepInterval), TimeSpan.FromSeconds(30), checks);
        var late = Duration(options.LateAfter, nameof(options.LateAfter), sweep * 2, checks);
        configuration = new SlaConfiguration(policies, sweep, late);
        return checks.Failures.Count == 0;
    }

    private static string Was(SlaPolicyOptions given, string field) => field switch
    {
        "acceptWithinHours" => Text(given.AcceptWithinHours),
        "reassignAfterHours" => Text(given.ReassignAfterHours),
        "maxReassignments" => Text(given.MaxReassignments),
        "reminders" => string.Join(",", given.Reminders ?? []),
        "contactWithinHours" => Text(given.ContactWithinHours),
        "contactReminders" => string.Join(",", given.ContactReminders ?? []),
        _ => "?",
    };

    private static string Text(IFormattable? value) => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";

    private static List<double>? Fractions(SettingList texts, string key, SettingChecks checks)
    {
        var values = new List<double>();
        foreach (var text in texts)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                checks.Fail(key, $"\"{text}\" is not a number");
                return null;
            }
            values.Add(value);
        }
        return values;
    }

    private static TimeSpan Duration(string? text, string key, TimeSpan fallback, SettingChecks checks)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }
        checks.Fail(key, $"must be a positive duration, e.g. 00:00:30 or 30 seconds (was \"{text}\")");
        return fallback;
    }
}
