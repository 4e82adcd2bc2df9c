using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Bot.Slack;

/// <summary>The <c>Slack</c> configuration section. Slack is off while no signing secret is configured.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    public string? BotToken { get; set; }
    public string? SigningSecret { get; set; }
    /// <summary>Extra secrets (<c>Slack:SigningSecrets:0</c> …): Slack may sign with a second app's secret (dev/prod pair, secret rotation).</summary>
    public List<string> SigningSecrets { get; set; } = [];
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";
    /// <summary>
    /// Our workspace (<c>T…</c>). When set, events, clicks and commands from any other workspace (another install of
    /// the same app, a Slack Connect guest) are refused before anything of them is stored. Empty: not checked.
    /// </summary>
    public string? TeamId { get; set; }
    /// <summary>Our bot user (<c>U…</c>); learnt from <c>auth.test</c> when not configured.</summary>
    public string? BotUserId { get; set; }
    /// <summary>Slack's own bodies are a few KB; a view submission with many blocks stays well under this.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;
    /// <summary>Runs the inbound work queue in the background (defaults to <c>Outbox:AutoDispatch</c>; tests drive it).</summary>
    public bool? AutoRun { get; set; }
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Button clicks and form submissions run this many at a time; commands and messages run in arrival order.</summary>
    public int InteractionConcurrency { get; set; } = 32;
    /// <summary>Queued rows one worker round takes.</summary>
    public int ClaimBatch { get; set; } = 100;
    /// <summary>
    /// After a round that found fewer rows than <see cref="ClaimBatch"/>, the worker lets this much time pass before it
    /// looks again, so that a stream of clicks is claimed and finished a batch at a time rather than one by one.
    /// A click into a quiet queue is still run at once.
    /// </summary>
    public TimeSpan GatherDelay { get; set; } = TimeSpan.FromMilliseconds(20);
    /// <summary><c>views.open</c> runs inside the click's request: the trigger_id dies after 3 s.</summary>
    public TimeSpan ViewsOpenTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public string InstanceId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public IReadOnlyList<string> AllSigningSecrets =>
        new[] { SigningSecret }.Concat(SigningSecrets).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct().ToList();

    public bool Enabled => AllSigningSecrets.Count > 0;

    /// <summary>True when no workspace is configured, or <paramref name="teamId"/> is it (a missing id is another workspace).</summary>
    public bool AcceptsTeam(string? teamId) =>
        string.IsNullOrWhiteSpace(TeamId) || string.Equals(teamId?.Trim(), TeamId.Trim(), StringComparison.Ordinal);
}

/// <summary>Refuses values the Slack worker cannot run with (no rows per round, no attempts, a zero lease …).</summary>
public sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var checks = new SettingChecks(SlackOptions.Section)
            .HttpUrl(nameof(options.ApiBaseUrl), options.ApiBaseUrl)
            .AtLeast(nameof(options.MaxBodyBytes), options.MaxBodyBytes, 1024)
            .AtLeast(nameof(options.MaxAttempts), options.MaxAttempts, 1)
            .AtLeast(nameof(options.InteractionConcurrency), options.InteractionConcurrency, 1)
            .AtLeast(nameof(options.ClaimBatch), options.ClaimBatch, 1)
            .Positive(nameof(options.PollInterval), options.PollInterval)
            .Positive(nameof(options.Lease), options.Lease)
            .Positive(nameof(options.ViewsOpenTimeout), options.ViewsOpenTimeout)
            .NotNegative(nameof(options.GatherDelay), options.GatherDelay);
        if (!string.IsNullOrWhiteSpace(options.TeamId) && !IsTeamId(options.TeamId.Trim()))
        {
            checks.Fail(nameof(options.TeamId), $"must be a Slack workspace id such as T0123ABCD (was \"{options.TeamId}\")");
        }
        return checks.Result;
    }

    /// <summary>Slack ids are upper-case letters and digits; a workspace id starts with T.</summary>
    private static bool IsTeamId(string value) =>
        value.Length > 1 && value[0] == 'T' && value.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));
}
