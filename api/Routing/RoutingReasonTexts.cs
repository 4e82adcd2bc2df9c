using System.Globalization;
using TheModel.Api.Handoffs;

namespace TheModel.Api.Routing;

/// <summary>
/// The routing reason in a reader's language: the one place it is worded, for both card renderers, the chat answers
/// and the REST <c>routingReason</c> (English). A handoff routed before facts were stored shows its stored sentence.
/// </summary>
public static class RoutingReasonTexts
{
    public static string For(Handoff handoff, string? language) =>
        handoff.RoutingFacts is { } facts ? Render(handoff.Routing, facts, language) : handoff.RoutingReason;

    public static string Render(RoutingRule rule, RoutingFacts f, string? language)
    {
        var ja = language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase);
        var dept = f.Department?.ToString() ?? "?";
        switch (rule)
        {
            case RoutingRule.AccountOwner:
                return ja ? $"{f.Domain} のアカウント担当" : $"Account owner for {f.Domain}";
            case RoutingRule.RoundRobin:
            {
                var load = $"{N(f.Open)}/{N(f.Capacity)}";
                var text = ja
                    ? $"{dept} のラウンドロビン: 対応可能な {N(f.Pool)} 人のうち最も前に割り当てられた人（対応中 {load}）"
                    : $"Round robin in {dept}: least recently assigned of {N(f.Pool)} available member{(f.Pool == 1 ? "" : "s")} ({load} open)";
                if (f.Owner is null)
                {
                    return text;
                }
                if (f.OwnerUnavailable == true)
                {
                    return ja ? $"{text}。アカウント担当の {f.Owner} さんは不在" : $"{text}; account owner {f.Owner} is unavailable";
                }
                var ownerLoad = $"{N(f.OwnerOpen)}/{N(f.OwnerCapacity)}";
                return ja ? $"{text}。アカウント担当の {f.Owner} さんはキャパシティ上限（{ownerLoad}）" : $"{text}; account owner {f.Owner} is at capacity ({ownerLoad})";
            }
            case RoutingRule.Queue:
                return f.Members == 0
                    ? (ja ? $"{dept} の部署キュー: メンバーがいません" : $"{dept} queue: no members in {dept}")
                    : (ja ? $"{dept} の部署キュー: 全員がキャパシティ上限か不在です" : $"{dept} queue: no available {dept} member under capacity");
            case RoutingRule.Manual:
                return ja ? $"{f.By} さんが {f.Assignee} さんに再割り当て" : $"Reassigned to {f.Assignee} by {f.By}";
            default:
                return rule.ToString();
        }
    }

    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
