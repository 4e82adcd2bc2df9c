using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Outbox;

/// <summary>
/// Refuses <c>Outbox:*</c> values the dispatcher cannot run with: a batch of 0 rows or 0 sends at once would never
/// send anything, a zero poll interval or lease would spin or hand rows to two instances at once, a zero give-up time would fail
/// every row at its first hiccup.
/// </summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public const string Section = "Outbox";

    public ValidateOptionsResult Validate(string? name, OutboxOptions options) => new SettingChecks(Section)
        .AtLeast(nameof(options.BatchSize), options.BatchSize, 1)
        .AtLeast(nameof(options.Concurrency), options.Concurrency, 1)
        .Positive(nameof(options.PollInterval), options.PollInterval)
        .Positive(nameof(options.Lease), options.Lease)
        .Positive(nameof(options.GiveUpAfter), options.GiveUpAfter)
        .NotNegative(nameof(options.YieldToRequests), options.YieldToRequests)
        .NotNegative(nameof(options.OneAtATimeAfterRequests), options.OneAtATimeAfterRequests)
        .Result;
}
