using TheModel.Api.People;

namespace TheModel.Bot.Chat;

/// <summary>What a chat message asks for, once <see cref="ChatCommandParser"/> has read it (EN or JA).</summary>
public abstract record ChatCommand
{
    private ChatCommand()
    {
    }

    public sealed record Help : ChatCommand;

    /// <summary><paramref name="Period"/> in the API period syntax (<c>this-month</c>, <c>2026-10</c>, <c>2026-W05</c>); null = this month.</summary>
    public sealed record Funnel(string? Period) : ChatCommand;

    /// <summary>Null <paramref name="Department"/> = all departments; null <paramref name="Period"/> = this month.</summary>
    public sealed record Kpi(Department? Department, string? Period) : ChatCommand;

    public sealed record MyQueue : ChatCommand;

    public sealed record Overdue : ChatCommand;

    /// <summary>An email address (exact) or part of a company name.</summary>
    public sealed record LeadLookup(string Query) : ChatCommand;

    /// <summary>Reverse plan (逆算) for a revenue target in yen.</summary>
    /// <summary><c>plan 1000万</c>; <c>Recurring</c> (<c>recurring</c> / <c>継続</c>): the target is recurring revenue.</summary>
    public sealed record Plan(decimal Amount, bool Recurring = false) : ChatCommand;

    public sealed record Digest : ChatCommand;

    /// <summary>Make this channel a department's baton channel, or the digest channel when <paramref name="Department"/> is null.</summary>
    public sealed record Link(Department? Department) : ChatCommand
    {
        public bool IsDigest => Department is null;
    }

    /// <summary>Ask to be added to a department: a request its managers approve (<see cref="DecideJoin"/>).</summary>
    public sealed record Join(Department Department) : ChatCommand;

    /// <summary><c>approve &lt;code&gt;</c> / <c>decline &lt;code&gt;</c>: a manager's (or admin's) answer to a join request.</summary>
    public sealed record DecideJoin(string Code, bool Approve) : ChatCommand;

    /// <summary><c>contact &lt;email|company&gt; &lt;kind&gt; &lt;outcome&gt; [note]</c> / <c>接触 …</c>: log a touch of a lead.</summary>
    public sealed record Contact(string Query, TheModel.Api.Leads.ActivityKind Kind, TheModel.Api.Leads.ActivityOutcome Outcome, string? Note) : ChatCommand;
    /// <summary><c>threshold 75</c> / <c>閾値 75</c>: turn the MQL threshold; no value: show it and its history.</summary>
    public sealed record Threshold(int? Value) : ChatCommand;

    /// <summary>
    /// <c>renewed|churned|upsold|onboarded &lt;email|company&gt; …</c> / <c>更新 解約 アップセル 導入完了 …</c>: a CS event
    /// (<see cref="CustomerCommands"/>); <paramref name="Action"/> is a <see cref="Cards.RenewalCards"/> action or <see cref="Cards.CardActions.KickOff"/> (onboarded).
    /// </summary>
    public sealed record Customer(string Action, string Query, decimal? Amount = null, int? TermMonths = null, string? Reason = null, string? Note = null)
        : ChatCommand;

    /// <summary>A known command whose argument could not be read (<c>plan abc</c>, <c>kpi XX</c>, <c>lead</c> with nothing).</summary>
    public sealed record Invalid(string Command, string Argument) : ChatCommand;

    public sealed record Unknown(string Text) : ChatCommand;
}
