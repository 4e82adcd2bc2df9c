using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Customers;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Cards;
using TheModel.Bot.HandoffCards;

namespace TheModel.Bot.Customers;

/// <summary>
/// Builds the renewal card for one reader (their language, the renewal date in their zone), open or with a decision's
/// outcome. Teams and Slack both render what this returns.
/// </summary>
public sealed class RenewalCardFactory(TheModelDb db, IBusinessCalendar calendar, CustomerLifecycle customers)
{
    public async Task<RenewalCardModel?> BuildAsync(Guid leadId, Person? reader, RenewalDecision? decision, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null)
        {
            return null;
        }
        var last = await LastRenewalAsync(leadId, ct);
        var ja = reader?.PrefersJapanese ?? true;
        var zone = ReaderTimeZone.For(reader, calendar);
        // After a renewal the lead's date has moved on: the card of the decided term keeps its own date (from the step key).
        var due = lead.RenewalDueAt is { } d ? $"{Date(d, zone)} ({ReaderTimeZone.Label(zone, d)})" : "?";
        if (decision is not null && decision.NoticeStep.Split(':') is [_, var stepDate, _])
        {
            due = stepDate;
        }
        return new RenewalCardModel
        {
            LeadId = lead.Id,
            Company = lead.Company,
            ContactName = lead.Name,
            RenewalDate = due,
            WonDate = lead.WonAt is { } won ? Date(won, zone) : null,
            TermMonths = CurrentTerm(lead, last),
            LastAmount = (last?.Amount ?? lead.Amount) is { } amount ? Amount(amount) : null,
            Outcome = decision is null ? null : OutcomeText(decision, zone, ja),
            Language = ja ? "ja" : "en",
        };
    }

    /// <summary>The term Renewed proposes: the last renewal's, else the won contract's (won date → renewal date).</summary>
    public async Task<int> CurrentTermAsync(Lead lead, CancellationToken ct) => CurrentTerm(lead, await LastRenewalAsync(lead.Id, ct));

    private int CurrentTerm(Lead lead, LeadEvent? last)
    {
        if (last?.Data is { } data && JsonDocument.Parse(data).RootElement is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("termMonths", out var t) && t.TryGetInt32(out var months))
        {
            return months;
        }
        if (lead is { WonAt: { } won, RenewalDueAt: { } due })
        {
            var from = customers.LocalDate(won);
            var to = customers.LocalDate(due);
            var diff = (to.Year - from.Year) * 12 + to.Month - from.Month;
            if (diff is >= 1 and <= CsOptions.MaxTermMonths)
            {
                return diff;
            }
        }
        return customers.Options.DefaultTermMonths;
    }

    private Task<LeadEvent?> LastRenewalAsync(Guid leadId, CancellationToken ct) =>
        db.Events.AsNoTracking().Where(e => e.LeadId == leadId && e.Type == LeadEventType.Renewed)
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(ct);

    public static string Amount(decimal amount) => amount.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Date(DateTime utc, TimeZoneInfo zone) => ReaderTimeZone.Local(utc, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"Renewed by 伊藤 on 2027-11-01: 1,200,000 for 12 months" / 「更新: 伊藤 さん（2027-11-01）1,200,000、12か月」.</summary>
    public static string OutcomeText(RenewalDecision d, TimeZoneInfo zone, bool ja)
    {
        var date = Date(d.At, zone);
        var amount = d.Amount is { } a ? Amount(a) : "?";
        var note = string.IsNullOrWhiteSpace(d.Note) ? "" : $" — {d.Note}";
        var reason = RenewalCards.ReasonText(d.Reason ?? "Other", ja);
        return (d.Outcome, ja) switch
        {
            (nameof(LeadEventType.Renewed), true) => $"{JapaneseTerms.Renew}: {d.By} さん（{date}）{amount}、{d.TermMonths}か月",
            (nameof(LeadEventType.Renewed), false) => $"Renewed by {d.By} on {date}: {amount} for {d.TermMonths} months",
            (nameof(LeadEventType.Churned), true) => $"{JapaneseTerms.Churn}: {d.By} さん（{date}）理由: {reason}{note}",
            (nameof(LeadEventType.Churned), false) => $"Churned, recorded by {d.By} on {date}. Reason: {reason}{note}",
            (_, true) => $"{JapaneseTerms.Upsell}: {d.By} さん（{date}）{amount}",
            _ => $"Upsold by {d.By} on {date}: {amount}",
        };
    }
}

/// <summary>
/// Renewed / Churned / Upsold from the renewal card or from chat: the raw inputs are read here, the rule is
/// <see cref="CustomerLifecycle"/>'s (its rights, its validation). A refusal is a sentence for the clicker only.
/// </summary>
public sealed class RenewalDecisions(CustomerLifecycle customers, RenewalCardFactory cards, TheModelDb db)
{
    public sealed record Outcome(CustomerChange? Change, string? Refusal);

    /// <summary><c>action</c> is a <see cref="RenewalCards.Actions"/> constant or <see cref="CardActions.KickOff"/>.</summary>
    public async Task<Outcome> DecideAsync(Guid leadId, Person person, string action, string? amount, string? term, string? reason, string? note,
        CancellationToken ct)
    {
        var ja = person.PrefersJapanese;
        var actor = Actor.Person(person.Id, person.Name);
        decimal? money = null;
        if (!string.IsNullOrWhiteSpace(amount))
        {
            if (!decimal.TryParse(amount.Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                return new(null, ja ? $"金額は数で入力してください（「{amount}」）。" : $"The amount must be a number (was '{amount}').");
            }
            money = parsed;
        }
        int? months = null;
        if (!string.IsNullOrWhiteSpace(term))
        {
            if (!int.TryParse(term.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return new(null, ja ? $"契約期間は月数で入力してください（「{term}」）。" : $"The term must be a number of months (was '{term}').");
            }
            months = parsed;
        }
        CustomerChange change;
        switch (action)
        {
            case CardActions.Renewed:
                if (months is null && await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leadId, ct) is { } lead)
                {
                    months = await cards.CurrentTermAsync(lead, ct);
                }
                change = await customers.RenewAsync(leadId, money, months, actor, ct);
                break;
            case CardActions.Churned:
                change = await customers.ChurnAsync(leadId, reason, note, actor, ct);
                break;
            case CardActions.Upsold:
                change = await customers.UpsellAsync(leadId, money, actor, ct);
                break;
            case CardActions.KickOff:
                change = await customers.OnboardAsync(leadId, null, actor, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "not a customer action");
        }
        return new(change, change.Succeeded ? null : Refusal(change, action, ja));
    }

    /// <summary>Why nothing was recorded, for the person who tried (nothing changed).</summary>
    public static string Refusal(CustomerChange change, string action, bool ja)
    {
        var company = change.Lead?.Company ?? "";
        var word = action switch
        {
            CardActions.Renewed => ja ? JapaneseTerms.Renew : "renewal",
            CardActions.Churned => ja ? JapaneseTerms.Churn : "churn",
            CardActions.Upsold => ja ? JapaneseTerms.Upsell : "upsell",
            _ => ja ? JapaneseTerms.KickOff : "kick-off",
        };
        return (change.Status, change.Field) switch
        {
            (CustomerChangeStatus.NotYours, _) => ja
                ? $"{company} の{word}を記録できるのは CS の担当者、CS マネージャー、管理者だけです。"
                : $"Only the CS owner, a CS manager or an admin can record the {word} of {company}.",
            (CustomerChangeStatus.NotFound, _) => ja ? "その顧客は見つかりません。" : "No such customer.",
            (CustomerChangeStatus.Invalid, "amount") => ja
                ? (action == CardActions.Upsold ? "金額は 0 より大きい数で入力してください。" : "金額は 0 以上の数で入力してください。")
                : $"Nothing was recorded: {change.Detail}",
            (CustomerChangeStatus.Invalid, "reason") => ja
                ? $"{JapaneseTerms.Churn}の理由を選んでください（{string.Join(", ", RenewalCards.ChurnReasons)}）。"
                : $"Choose a churn reason ({string.Join(", ", RenewalCards.ChurnReasons)}); nothing was recorded.",
            (CustomerChangeStatus.Invalid, "termMonths") => ja
                ? $"契約期間は 1〜{CsOptions.MaxTermMonths} か月で入力してください。"
                : $"Nothing was recorded: {change.Detail}",
            (CustomerChangeStatus.WrongState, "churned") => ja
                ? $"{company} は{JapaneseTerms.Churn}済みです。{word}は記録できません。"
                : $"{company} has churned; the {word} was not recorded.",
            (CustomerChangeStatus.WrongState, "onboarded") => ja
                ? $"{company} の{JapaneseTerms.KickOff}はもう記録されています。"
                : $"The kick-off of {company} is already recorded.",
            (CustomerChangeStatus.WrongState, "stage") => ja
                ? $"{company} はまだ顧客（受注済み）ではありません。"
                : $"{company} is not a customer (won) yet; nothing was recorded.",
            _ => ja ? $"記録できませんでした: {change.Detail}" : $"Nothing was recorded: {change.Detail}",
        };
    }
}
