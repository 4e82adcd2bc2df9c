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
    /// <summary>Business hours from becoming MQL/SQL to the first touch (not for WonToCs).</summary>
    public double? ContactWithinHours { get; init; }
    /// <summary>Fractions of the contact window, ascending, each in (0, 1).</summary>
    public IReadOnlyList<double>? ContactReminders { get; init; }

    public static SlaPolicySettings From(SlaPolicy policy) => new()
    {
        AcceptWithinHours = policy.AcceptWithin.TotalHours,
        Reminders = policy.Reminders,
        ReassignAfterHours = policy.ReassignAfter.TotalHours,
        MaxReassignments = policy.MaxReassignments,
        ContactWithinHours = policy.ContactWithin?.TotalHours,
        ContactReminders = policy.ContactWithin is null ? null : policy.ContactReminders,
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
        if (Reminders is { } reminders && CheckFractions(reminders, $"{prefix}.reminders", errors))
        {
            policy = policy with { Reminders = [.. reminders] };
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
        if (ContactWithinHours is { } contact)
        {
            if (current.ContactWithin is null)
            {
                errors[$"{prefix}.contactWithinHours"] = ["this kind has no first-contact clock"];
            }
            else if (!double.IsFinite(contact) || contact <= 0 || contact > SlaPolicyLimits.MaxHours)
            {
                errors[$"{prefix}.contactWithinHours"] = [$"must be more than 0 and at most {SlaPolicyLimits.MaxHours} business hours"];
            }
            else
            {
                policy = policy with { ContactWithin = TimeSpan.FromHours(contact) };
            }
        }
        if (ContactReminders is { } contactReminders)
        {
            if (current.ContactWithin is null)
            {
                errors[$"{prefix}.contactReminders"] = ["this kind has no first-contact clock"];
            }
            else if (CheckFractions(contactReminders, $"{prefix}.contactReminders", errors))
            {
                policy = policy with { ContactReminders = [.. contactReminders] };
            }
        }
        return errors.Count == before ? policy : null;
    }

    private static bool CheckFractions(IReadOnlyList<double> fractions, string field, IDictionary<string, string[]> errors)
    {
        if (fractions.Count > SlaPolicyLimits.MaxReminders)
        {
            errors[field] = [$"at most {SlaPolicyLimits.MaxReminders} reminders"];
        }
        else if (fractions.Any(f => !double.IsFinite(f) || f <= 0 || f >= 1))
        {
            errors[field] = ["each reminder is a fraction of the window between 0 and 1 (e.g. 0.5 = half-way)"];
        }
        else if (fractions.Zip(fractions.Skip(1)).Any(p => p.First >= p.Second))
        {
            errors[field] = ["reminders must be in ascending order without repeats"];
        }
        else
        {
            return true;
        }
        return false;
    }
}

internal static class SlaPolicyLimits
{
    public const double MaxHours = 24 * 365;
    public const int MaxReminders = 5;
    public const int MaxReassignments = 20;
}
