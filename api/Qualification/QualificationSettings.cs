using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Settings;
using TheModel.Api.Store;

namespace TheModel.Api.Qualification;

/// <summary>The qualification rule in force: a lead whose score reaches <see cref="MqlThreshold"/> becomes an MQL.</summary>
public sealed record QualificationRules(int MqlThreshold)
{
    public const int DefaultMqlThreshold = 80;
}

/// <summary>
/// Reads and changes the MQL threshold. The literature treats the threshold as a valve to turn as IS capacity
/// changes, so it lives in the Settings table (read on every intake: a change takes effect at once) and falls
/// back to <c>Qualification:MqlThreshold</c>.
/// </summary>
public sealed class QualificationSettings(TheModelDb db, IOptions<QualificationOptions> options, TimeProvider time)
{
    public const string Key = "qualification";

    public async Task<QualificationRules> GetAsync(CancellationToken ct = default)
    {
        var json = await db.Settings.AsNoTracking().Where(s => s.Key == Key).Select(s => s.Json).FirstOrDefaultAsync(ct);
        if (json is not null && JsonSerializer.Deserialize<QualificationRules>(json, JsonSerializerOptions.Web) is { } stored
            && stored.MqlThreshold is >= 0 and <= 100)
        {
            return stored;
        }
        return Configured();
    }

    public async Task<QualificationRules> SetAsync(QualificationRules rules, CancellationToken ct = default)
    {
        await StageAsync(rules, ct);
        await db.SaveChangesAsync(ct);
        return rules;
    }

    /// <summary>Puts the new rules in the unit of work without saving (the valve saves them with their event and announcements).</summary>
    internal async Task<Setting> StageAsync(QualificationRules rules, CancellationToken ct)
    {
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == Key, ct);
        if (row is null)
        {
            row = new Setting { Key = Key };
            db.Settings.Add(row);
        }
        row.Json = JsonSerializer.Serialize(rules, JsonSerializerOptions.Web);
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        row.Version++;
        return row;
    }

    private QualificationRules Configured() => new(options.Value.MqlThreshold);
}
