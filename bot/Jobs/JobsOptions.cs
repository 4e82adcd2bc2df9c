using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TheModel.Bot.Jobs;

/// <summary>
/// Where the schedules run. The keys belong to the SLA and outbox sections, so each property names its full key and
/// the class is bound at the configuration's root.
/// </summary>
public sealed class JobsOptions
{
    public static readonly string DefaultInstanceId = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Run the schedules in this process; unset, it follows <see cref="AutoDispatch"/>.</summary>
    [ConfigurationKeyName("Sla:AutoSweep")]
    public bool? AutoSweep { get; set; }

    /// <summary>The outbox's switch: a test host that drives the outbox by hand drives the sweep too.</summary>
    [ConfigurationKeyName("Outbox:AutoDispatch")]
    public bool AutoDispatch { get; set; } = true;

    /// <summary>Names this process in the database claims (a blank value means the default).</summary>
    [ConfigurationKeyName("Outbox:InstanceId")]
    public string InstanceId { get; set => field = string.IsNullOrWhiteSpace(value) ? DefaultInstanceId : value.Trim(); } = DefaultInstanceId;

    public bool RunsSchedules => AutoSweep ?? AutoDispatch;
}

public sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    /// <summary>The claim columns (ClaimedBy, LockedBy) hold this many characters.</summary>
    public const int MaxInstanceIdLength = 100;

    public ValidateOptionsResult Validate(string? name, JobsOptions options) =>
        options.InstanceId.Length > MaxInstanceIdLength
            ? ValidateOptionsResult.Fail($"Outbox:InstanceId '{options.InstanceId}' is longer than {MaxInstanceIdLength} characters (it is stored with every claim).")
            : ValidateOptionsResult.Success;
}
