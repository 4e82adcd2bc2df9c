namespace TheModel.Api.Settings;

/// <summary>A run-time setting stored as JSON under a key (<c>qualification</c>, <c>sla</c>, <c>calendar</c>, <c>digest-channel</c> …).</summary>
public sealed class Setting
{
    public string Key { get; set; } = "";
    public string Json { get; set; } = "{}";
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}
