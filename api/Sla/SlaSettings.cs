using System.Globalization;
using Microsoft.Extensions.Configuration;
using TheModel.Api.Handoffs;

namespace TheModel.Api.Sla;

/// <summary>One policy as configured and as the settings API shows it: durations in business hours.</summary>
public sealed record SlaPolicySettings
{
    public double? AcceptWithinHours { get; init; }
    /// <summary>Fractions of the window, ascending, each in (0, 1).</summary>
    public IReadOnlyList<double>? Reminders { get; init; }
    public double? ReassignAfterHours { get; init; }
    public int? MaxReassignments { get; init; }

    public static SlaPolicySettings From(SlaPolicy policy) => new()
    {
        AcceptWithinHours = policy.AcceptWithin.TotalHours,
        Reminders = policy.Reminders,
        ReassignAfterHours = policy.ReassignAfter.TotalHours,
        MaxReassignments = policy.MaxReassignments,
    };

    /// <summary><paramref name="current"/> with the fields given here replaced; <paramref name="errors"/> gets each bad field under <paramref name="prefix"/>.</summary>
    public SlaPolicy? ApplyTo(SlaPolicy current, string prefix, IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var policy = current;
        if (AcceptWithinHours is { } within)
        {
            if (!double.IsFinite(within) || within <= 0 || within > SlaPolicyLimits.MaxHours)
            {
                errors[$"{prefix}.acceptWithinHours"] = [$"must be more than 0 and at most {SlaPolicyLimits.MaxHours} business hours"];
            }
            else
            {
                policy = policy with { AcceptWithin = TimeSpan.FromHours(within) };
            }
        }
        if (Reminders is { } reminders)
        {
            if (reminders.Count > SlaPolicyLimits.MaxReminders)
            {
                errors[$"{prefix}.reminders"] = [$"at most {SlaPolicyLimits.MaxReminders} reminders"];
            }
            else if (reminders.Any(f => !double.IsFinite(f) || f <= 0 || f >= 1))
            {
                errors[$"{prefix}.reminders"] = ["each reminder is a fraction of the window between 0 and 1 (e.g. 0.5 = half-way)"];
            }
            else if (reminders.Zip(reminders.Skip(1)).Any(p => p.First >= p.Second))
            {
                errors[$"{prefix}.reminders"] = ["reminders must be in ascending order without repeats"];
            }
            else
            {
                policy = policy with { Reminders = [.. reminders] };
            }
        }
        if (ReassignAfterHours is { } grace)
        {
            if (!double.IsFinite(grace) || grace < 0 || grace > SlaPolicyLimits.MaxHours)
            {
                errors[$"{prefix}.reassignAfterHours"] = [$"must be between 0 and {SlaPolicyLimits.MaxHours} business hours"];
            }
            else
            {
                policy = policy with { ReassignAfter = TimeSpan.FromHours(grace) };
            }
        }
        if (MaxReassignments is { } max)
        {
            if (max is < 0 or > SlaPolicyLimits.MaxReassignments)
            {
                errors[$"{prefix}.maxReassignments"] = [$"must be between 0 and {SlaPolicyLimits.MaxReassignments}"];
            }
            else
            {
                policy = policy with { MaxReassignments = max };
            }
        }
        return errors.Count == before ? policy : null;
    }
}

internal static class SlaPolicyLimits
{
    public const double MaxHours = 24 * 365;
    public const int MaxReminders = 5;
    public const int MaxReassignments = 20;
}

/// <summary>
/// The SLA part of configuration: per-kind policies (<c>Sla:MqlToIs:AcceptWithinHours</c>, <c>…:Reminders</c>,
/// <c>…:ReassignAfterHours</c>, <c>…:MaxReassignments</c>), the sweep interval and when a step counts as late.
/// Read once at start; a bad value stops the start with the key named.
/// </summary>
public sealed class SlaConfiguration
{
    public SlaConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Sla");
        var errors = new Dictionary<string, string[]>();
        var policies = new Dictionary<HandoffKind, SlaPolicy>();
        foreach (var kind in Enum.GetValues<HandoffKind>())
        {
            var kindSection = section.GetSection(kind.ToString());
            var given = new SlaPolicySettings
            {
                AcceptWithinHours = Number(kindSection, "AcceptWithinHours", errors),
                Reminders = Fractions(kindSection, errors),
                ReassignAfterHours = Number(kindSection, "ReassignAfterHours", errors),
                MaxReassignments = Number(kindSection, "MaxReassignments", errors) is { } n ? (int)n : null,
            };
            policies[kind] = given.ApplyTo(SlaPolicy.DefaultFor(kind), $"Sla:{kind}", errors) ?? SlaPolicy.DefaultFor(kind);
        }
        SweepInterval = Duration(section, "SweepInterval", TimeSpan.FromSeconds(30), errors);
        LateAfter = Duration(section, "LateAfter", SweepInterval * 2, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("SLA configuration is invalid: " +
                string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }
        Policies = policies;
    }

    public IReadOnlyDictionary<HandoffKind, SlaPolicy> Policies { get; }

    /// <summary>How often the sweep runs (<c>Sla:SweepInterval</c>, a TimeSpan such as <c>00:00:30</c>, or seconds).</summary>
    public TimeSpan SweepInterval { get; }

    /// <summary>A step done more than this after its due time is marked late (<c>Sla:LateAfter</c>, default two sweep intervals).</summary>
    public TimeSpan LateAfter { get; }

    private static double? Number(IConfigurationSection section, string key, Dictionary<string, string[]> errors)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors[$"{section.Path}:{key}"] = [$"\"{text}\" is not a number"];
        return null;
    }

    private static IReadOnlyList<double>? Fractions(IConfigurationSection section, Dictionary<string, string[]> errors)
    {
        var reminders = section.GetSection("Reminders");
        var texts = reminders.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (texts.Count == 0 && reminders.Value is { } joined)
        {
            texts = joined.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries).ToList();
            if (texts.Count == 0)
            {
                return [];
            }
        }
        if (texts.Count == 0)
        {
            return null;
        }
        var values = new List<double>();
        foreach (var text in texts)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                errors[reminders.Path] = [$"\"{text}\" is not a number"];
                return null;
            }
            values.Add(value);
        }
        return values;
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback, Dictionary<string, string[]> errors)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }
        errors[$"{section.Path}:{key}"] = [$"\"{text}\" is not a positive duration (e.g. 00:00:30 or 30)"];
        return fallback;
    }
}
