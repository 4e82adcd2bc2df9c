using System.Globalization;
using TheModel.Api.Customers;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Cards;
using TheModel.Bot.Customers;
using TheModel.Bot.HandoffCards;

namespace TheModel.Bot.Chat;

/// <summary>
/// The CS chat commands: <c>renewed &lt;email|company&gt; &lt;amount&gt; [termMonths]</c>,
/// <c>churned &lt;email|company&gt; &lt;reason&gt; [note]</c>, <c>upsold &lt;email|company&gt; &lt;amount&gt;</c>,
/// <c>onboarded &lt;email|company&gt;</c> and their Japanese words. They decide as the renewal card does
/// (<see cref="RenewalDecisions"/>: CustomerLifecycle's rights and checks); every answer is private.
/// </summary>
public sealed class CustomerCommands(RenewalDecisions decisions, IBusinessCalendar calendar)
{
    /// <summary>The kick-off (導入完了): the Won → CS card's verb, so chat and card name the action alike.</summary>
    public const string Onboarded = CardActions.KickOff;

    public static readonly IReadOnlyList<(string Word, string Action)> Words =
    [
        ("renewed", CardActions.Renewed), (JapaneseTerms.Renew, CardActions.Renewed),
        ("churned", CardActions.Churned), (JapaneseTerms.Churn, CardActions.Churned),
        ("upsold", CardActions.Upsold), (JapaneseTerms.Upsell, CardActions.Upsold),
        ("onboarded", Onboarded), (JapaneseTerms.KickOff, Onboarded),
    ];

    /// <summary>
    /// The lead is what comes before the figures (a company name may have spaces): the amount and term are the last
    /// tokens, the churn reason the first token after the lead that names one, the note the rest.
    /// </summary>
    public static ChatCommand Parse(string word, string args)
    {
        var action = Words.First(w => w.Word.Equals(word, StringComparison.OrdinalIgnoreCase)).Action;
        var tokens = args.Trim().Trim('`').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return new ChatCommand.Invalid(word, args);
        }
        switch (action)
        {
            case CardActions.Renewed:
                if (tokens.Length >= 3 && int.TryParse(tokens[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var term)
                    && TryAmount(tokens[^2], out var withTerm))
                {
                    return new ChatCommand.Customer(action, string.Join(' ', tokens[..^2]), withTerm, term);
                }
                return tokens.Length >= 2 && TryAmount(tokens[^1], out var renewed)
                    ? new ChatCommand.Customer(action, string.Join(' ', tokens[..^1]), renewed)
                    : new ChatCommand.Invalid(word, args);
            case CardActions.Upsold:
                return tokens.Length >= 2 && TryAmount(tokens[^1], out var upsold)
                    ? new ChatCommand.Customer(action, string.Join(' ', tokens[..^1]), upsold)
                    : new ChatCommand.Invalid(word, args);
            case CardActions.Churned:
                for (var i = 1; i < tokens.Length; i++)
                {
                    if (RenewalCards.ChurnReasons.FirstOrDefault(r => r.Equals(tokens[i], StringComparison.OrdinalIgnoreCase)) is { } reason)
                    {
                        var note = string.Join(' ', tokens[(i + 1)..]);
                        return new ChatCommand.Customer(action, string.Join(' ', tokens[..i]), Reason: reason, Note: note.Length == 0 ? null : note);
                    }
                }
                // No reason named: CustomerLifecycle refuses it (privately), naming the list. An email ends the lead.
                return tokens[0].Contains('@')
                    ? new ChatCommand.Customer(action, tokens[0], Note: tokens.Length > 1 ? string.Join(' ', tokens[1..]) : null)
                    : new ChatCommand.Customer(action, string.Join(' ', tokens));
            default:
                return new ChatCommand.Customer(action, string.Join(' ', tokens));
        }
    }

    /// <summary>A yen amount as <c>plan</c> reads it (1000万, 1,200,000), or any plain number (0 and negatives reach the rule, which answers).</summary>
    private static bool TryAmount(string token, out decimal amount) =>
        ChatCommandParser.TryParseAmount(token, out amount)
        || decimal.TryParse(token.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out amount);

    public async Task<ChatReply> AnswerAsync(ChatCommand.Customer command, Person person, IReadOnlyList<Lead> leads, ChatTexts t, CancellationToken ct)
    {
        var ja = t.Language == "ja";
        // A company name may also match leads that are not customers: the one won lead among them is meant.
        if (leads.Count > 1 && leads.Where(l => l.Stage == LeadStage.Won).ToList() is [var customer])
        {
            leads = [customer];
        }
        if (leads.Count != 1)
        {
            var text = leads.Count == 0
                ? (ja ? $"「{command.Query}」に当たる顧客はありません。記録していません。" : $"No customer matches \"{command.Query}\"; nothing was recorded.")
                : (ja ? $"「{command.Query}」に当たるリードが複数あります。メールで指定してください（未記録）:" : $"\"{command.Query}\" matches several leads; give the email. Nothing was recorded:")
                    + string.Concat(leads.Select(l => $"\n• {l.Company} — {l.Name} <{l.Email}>"));
            return new ChatReply { Text = text, Private = true };
        }
        var lead = leads[0];
        string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
        var outcome = await decisions.DecideAsync(lead.Id, person, command.Action, Number(command.Amount),
            command.TermMonths?.ToString(CultureInfo.InvariantCulture), command.Reason, command.Note, ct);
        if (outcome.Refusal is { } refusal)
        {
            return new ChatReply { Text = refusal, Private = true };
        }
        var zone = ReaderTimeZone.For(person, calendar);
        var done = outcome.Change?.Decision is { } decision
            ? $"{lead.Company}: {RenewalCardFactory.OutcomeText(decision, zone, ja)}"
            : $"{lead.Company}: {HandoffCardFactory.KickedOffText(ReaderTimeZone.Local(outcome.Change!.Lead!.OnboardedAt!.Value, zone), ja)}";
        if (outcome.Change?.Lead is { RenewalDueAt: { } next, ChurnedAt: null } && command.Action == CardActions.Renewed)
        {
            var date = ReaderTimeZone.Local(next, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            done += ja ? $"（次の契約更新日: {date}）" : $" (next renewal date: {date})";
        }
        return new ChatReply { Text = done, Private = true };
    }
}
