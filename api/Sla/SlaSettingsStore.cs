using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Settings;
using TheModel.Api.Store;

namespace TheModel.Api.Sla;

public enum SettingsSaveStatus
{
    Saved,
    Invalid,
    Conflict,
}

public sealed record SettingsSaveResult<T>(SettingsSaveStatus Status, T? Value, IDictionary<string, string[]> Errors);

/// <summary>
/// The run-time SLA and calendar settings (Settings rows <c>sla</c> and <c>calendar</c>) over the configured
/// defaults. Saving validates everything first and changes nothing on error; a save also makes every open handoff's
/// SLA schedule be recomputed by the next sweep, so new reminder points and grace periods apply at once.
/// </summary>
public sealed class SlaSettingsStore(TheModelDb db, SlaConfiguration configuration, RuntimeBusinessCalendar calendar, TimeProvider time)
{
    public const string SlaKey = "sla";
    public const string CalendarKey = "calendar";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<IReadOnlyDictionary<HandoffKind, SlaPolicy>> PoliciesAsync(CancellationToken ct = default)
    {
        var stored = await ReadAsync<Dictionary<HandoffKind, SlaPolicySettings>>(SlaKey, ct);
        var policies = new Dictionary<HandoffKind, SlaPolicy>(configuration.Policies);
        foreach (var (kind, settings) in stored?.Value ?? [])
        {
            // Stored settings were validated when saved; a row edited by hand falls back to configuration.
            policies[kind] = settings.ApplyTo(policies[kind], kind.ToString(), new Dictionary<string, string[]>()) ?? policies[kind];
        }
        return policies;
    }

    public async Task<SettingsSaveResult<IReadOnlyDictionary<HandoffKind, SlaPolicy>>> SavePoliciesAsync(
        IReadOnlyDictionary<string, SlaPolicySettings?>? changes, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var policies = new Dictionary<HandoffKind, SlaPolicy>(await PoliciesAsync(ct));
        if (changes is null || changes.Count == 0)
        {
            errors["policies"] = ["give at least one handoff kind (MqlToIs, SqlToFs, WonToCs)"];
        }
        foreach (var (name, change) in changes ?? new Dictionary<string, SlaPolicySettings?>())
        {
            if (!Enum.TryParse<HandoffKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(name, out _))
            {
                errors[$"policies.{name}"] = ["unknown handoff kind (MqlToIs, SqlToFs, WonToCs)"];
                continue;
            }
            if (change is null)
            {
                errors[$"policies.{name}"] = ["must be an object"];
                continue;
            }
            if (change.ApplyTo(policies[kind], $"policies.{kind}", errors) is { } updated)
            {
                policies[kind] = updated;
            }
        }
        if (errors.Count > 0)
        {
            return new(SettingsSaveStatus.Invalid, null, errors);
        }
        var stored = policies.ToDictionary(p => p.Key, p => SlaPolicySettings.From(p.Value));
        return await WriteAsync(SlaKey, stored, ct)
            ? new(SettingsSaveStatus.Saved, policies, errors)
            : new(SettingsSaveStatus.Conflict, null, errors);
    }

    public async Task<CalendarSettings> CalendarAsync(CancellationToken ct = default)
    {
        var stored = await ReadAsync<CalendarSettings>(CalendarKey, ct);
        return stored?.Value is { } settings && settings.Validate().Count == 0 ? settings : calendar.Configured;
    }

    /// <summary>Loads the stored calendar into the live one (another instance may have changed it).</summary>
    public async Task RefreshCalendarAsync(CancellationToken ct = default) => calendar.Apply(await CalendarAsync(ct));

    public async Task<SettingsSaveResult<CalendarSettings>> SaveCalendarAsync(CalendarSettings settings, CancellationToken ct = default)
    {
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            return new(SettingsSaveStatus.Invalid, null, errors);
        }
        var normalised = settings with { Holidays = [.. settings.Holidays.Distinct().Order()] };
        if (!await WriteAsync(CalendarKey, normalised, ct))
        {
            return new(SettingsSaveStatus.Conflict, null, errors);
        }
        calendar.Apply(normalised);
        return new(SettingsSaveStatus.Saved, normalised, errors);
    }

    public async Task<(DateTime? UpdatedAt, int Version)> StampAsync(string key, CancellationToken ct = default)
    {
        var row = await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => new { s.UpdatedAt, s.Version }).FirstOrDefaultAsync(ct);
        return row is null ? (null, 0) : (row.UpdatedAt, row.Version);
    }

    private async Task<(T? Value, int Version)?> ReadAsync<T>(string key, CancellationToken ct) where T : class
    {
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, ct);
        if (row is null)
        {
            return null;
        }
        try
        {
            return (JsonSerializer.Deserialize<T>(row.Json, Json), row.Version);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Upserts the row and marks open handoffs for rescheduling, in one transaction; false when someone else saved first.</summary>
    private async Task<bool> WriteAsync<T>(string key, T value, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct);
        if (row is null)
        {
            row = new Setting { Key = key };
            db.Settings.Add(row);
        }
        row.Json = JsonSerializer.Serialize(value, Json);
        row.UpdatedAt = now;
        row.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            db.DiscardChanges();
            return false;
        }
        await db.Handoffs.Where(h => h.State == HandoffState.Offered)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.NextSlaCheckAt, SlaSchedule.Unscheduled), ct);
        // Running contact clocks too: their reminder points follow the new fractions (their deadlines stay).
        await db.ContactClocks.Where(c => c.FirstTouchAt == null && c.NextCheckAt != ContactClocks.Stopped)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextCheckAt, SlaSchedule.Unscheduled), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}

/// <summary>The policy in force for a kind: configuration, overridden by the run-time settings.</summary>
public sealed class ConfiguredSlaPolicies(SlaSettingsStore store) : ISlaPolicies
{
    public async Task<SlaPolicy> ForAsync(HandoffKind kind, CancellationToken ct = default)
    {
        // Callers compute deadlines with the calendar right after asking for the policy: bring it up to date too, so an
        // offer made on any instance uses the calendar an admin saved on another.
        await store.RefreshCalendarAsync(ct);
        return (await store.PoliciesAsync(ct))[kind];
    }
}
