using System.Diagnostics;
using System.Diagnostics.Metrics;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.Sla;

namespace TheModel.Api.Telemetry;

/// <summary>Where a decision came from: the <c>platform</c> tag of decisions.</summary>
public static class DecisionPlatforms
{
    public const string Teams = OutboxChannels.Teams;
    public const string Slack = OutboxChannels.Slack;
    /// <summary>The REST API (and anything else that does not say).</summary>
    public const string Api = "api";
}

/// <summary>What a decision does: part of its span's name and of its <c>outcome</c> tag.</summary>
public static class DecisionActions
{
    public const string Accept = "accept";
    public const string Reject = "reject";
    public const string Reassign = "reassign";
}

/// <summary>
/// Every trace and metric of the bot, in one place: the <c>TheModel.Bot</c> activity source and meter, the names and
/// tags of their instruments, and what each use case records. Recording is cheap when nobody listens: an activity is
/// null unless a listener samples it, and a counter with no listener drops the measurement.
/// </summary>
public sealed class BotTelemetry
{
    public const string Name = "TheModel.Bot";

    /// <summary>Process-wide (an activity source cannot be scoped); tests tell their activities apart by tags.</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly TimeProvider time;
    private readonly Counter<long> decisions;
    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> slaSteps;
    private readonly Histogram<double> sweepDuration;
    private readonly Counter<long> digestRuns;

    /// <summary>
    /// One meter per service container (<see cref="IMeterFactory"/>), so two bots in one process (the tests) keep apart.
    /// </summary>
    public BotTelemetry(IMeterFactory meters, OutboxBacklog backlog, TimeProvider time)
    {
        this.time = time;
        Meter = meters.Create(Name);
        decisions = Meter.CreateCounter<long>("themodel.decisions", "{decision}",
            "Handoff decisions (accept, reject, reassign) by outcome and platform");
        Meter.CreateObservableGauge("themodel.outbox.pending", () => backlog.Read().Select(b =>
                new Measurement<long>(b.Pending, new KeyValuePair<string, object?>("platform", b.Platform))),
            "{message}", "Outbox rows waiting to be sent, by platform");
        Meter.CreateObservableGauge("themodel.outbox.oldest_pending_age", () => backlog.Read().Select(b =>
                new Measurement<double>(b.OldestAge.TotalSeconds, new KeyValuePair<string, object?>("platform", b.Platform))),
            "s", "Age of the oldest outbox row waiting to be sent, by platform (0 when none waits)");
        sent = Meter.CreateCounter<long>("themodel.outbox.sent", "{message}", "Outbox rows sent, by platform");
        failed = Meter.CreateCounter<long>("themodel.outbox.failed", "{message}",
            "Outbox rows that failed for good (refused, or out of attempts), by platform");
        slaSteps = Meter.CreateCounter<long>("themodel.sla.steps", "{step}", "SLA steps done, by kind (reminder, escalation, expiry)");
        sweepDuration = Meter.CreateHistogram("themodel.sla.sweep.duration", "s", "How long one SLA sweep took",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        digestRuns = Meter.CreateCounter<long>("themodel.digest.runs", "{run}",
            "Digest runs by kind (scheduled, manual) and outcome (posted, skipped: claimed before)");
    }

    public Meter Meter { get; }

    // ---- Decisions ----

    /// <summary>
    /// Runs a decision inside its span (<c>handoff.accept</c>, <c>handoff.reject</c>, <c>handoff.reassign</c>) and counts
    /// it by outcome and platform.
    /// </summary>
    public async Task<DecisionOutcome> DecisionAsync(string action, Guid handoffId, string platform, Func<Task<DecisionOutcome>> decide)
    {
        using var activity = Source.StartActivity(action switch
        {
            DecisionActions.Accept => "handoff.accept",
            DecisionActions.Reject => "handoff.reject",
            _ => "handoff.reassign",
        });
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("handoff.id", handoffId);
            activity.SetTag("platform", platform);
        }
        try
        {
            var outcome = await decide();
            var tag = Outcome(action, outcome.Status);
            decisions.Add(1, new KeyValuePair<string, object?>("outcome", tag), new KeyValuePair<string, object?>("platform", platform));
            activity?.SetTag("outcome", tag);
            return outcome;
        }
        catch (Exception ex) when (Failed(activity, ex))
        {
            throw;
        }
    }

    private static string Outcome(string action, DecisionOutcomeStatus status) => status switch
    {
        DecisionOutcomeStatus.Done => action switch
        {
            DecisionActions.Accept => "accepted",
            DecisionActions.Reject => "rejected",
            _ => "reassigned",
        },
        // Someone decided first (or the offer is no longer open).
        DecisionOutcomeStatus.AlreadyDecided => "conflict",
        DecisionOutcomeStatus.NotYours => "not_yours",
        DecisionOutcomeStatus.ReasonRequired => "reason_required",
        DecisionOutcomeStatus.NoteTooLong => "note_too_long",
        DecisionOutcomeStatus.UnknownPerson => "unknown_person",
        _ => "not_found",
    };

    // ---- Outbox ----

    /// <summary>One row's send: <c>outbox.send</c>, tagged with where it goes and what it is.</summary>
    public static Activity? StartSend(OutboxMessage message)
    {
        var activity = Source.StartActivity("outbox.send");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("platform", message.Channel);
            activity.SetTag("kind", message.Kind);
            activity.SetTag("outbox.id", message.Id);
            activity.SetTag("outbox.attempt", message.Attempts); // counted at the claim
        }
        return activity;
    }

    /// <summary>Records a row's send once its outcome is applied (its <see cref="OutboxMessage.Status"/> says what came of it).</summary>
    public void SendFinished(Activity? activity, OutboxMessage message)
    {
        var platform = new KeyValuePair<string, object?>("platform", message.Channel);
        switch (message.Status)
        {
            case OutboxStatus.Sent:
                sent.Add(1, platform);
                break;
            case OutboxStatus.Failed:
                failed.Add(1, platform);
                activity?.SetStatus(ActivityStatusCode.Error, message.LastError);
                break;
        }
        activity?.SetTag("outcome", message.Status switch
        {
            OutboxStatus.Sent => "sent",
            OutboxStatus.Skipped => "skipped",
            OutboxStatus.Failed => "failed",
            _ => "retry",
        });
    }

    // ---- SLA ----

    /// <summary>
    /// One sweep: its span (<c>sla.sweep</c>) and its duration, recorded when the returned timing is disposed (a sweep that
    /// threw counts too: a slow failure is still slow).
    /// </summary>
    public SweepTiming StartSweep(string instanceId)
    {
        var activity = Source.StartActivity("sla.sweep");
        activity?.SetTag("instance", instanceId);
        return new SweepTiming(this, activity, time.GetTimestamp());
    }

    public readonly struct SweepTiming(BotTelemetry telemetry, Activity? activity, long started) : IDisposable
    {
        /// <summary>Puts what the sweep did on its span.</summary>
        public void Done(SlaSweepResult result)
        {
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("checked", result.Checked);
                activity.SetTag("reminders", result.Reminders);
                activity.SetTag("escalations", result.Escalations);
                activity.SetTag("expiries", result.Expiries);
                activity.SetTag("late", result.Late);
            }
        }

        public void Dispose()
        {
            telemetry.sweepDuration.Record(telemetry.time.GetElapsedTime(started).TotalSeconds);
            activity?.Dispose();
        }
    }

    /// <summary>Counts the steps of one handoff's sweep once they are committed.</summary>
    public void SlaStepsDone(int reminders, int escalations, int expiries)
    {
        if (reminders > 0)
        {
            slaSteps.Add(reminders, new KeyValuePair<string, object?>("kind", "reminder"));
        }
        if (escalations > 0)
        {
            slaSteps.Add(escalations, new KeyValuePair<string, object?>("kind", "escalation"));
        }
        if (expiries > 0)
        {
            slaSteps.Add(expiries, new KeyValuePair<string, object?>("kind", "expiry"));
        }
    }

    // ---- Digest ----

    /// <summary>A digest run: <paramref name="posted"/> false when the run was claimed before (nothing queued).</summary>
    public void DigestRun(bool manual, bool posted) =>
        digestRuns.Add(1, new KeyValuePair<string, object?>("kind", manual ? "manual" : "scheduled"),
            new KeyValuePair<string, object?>("outcome", posted ? "posted" : "skipped"));

    /// <summary>For an exception filter: marks the span failed and lets the exception through (the filter never catches).</summary>
    private static bool Failed(Activity? activity, Exception ex)
    {
        activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
        return false;
    }
}
