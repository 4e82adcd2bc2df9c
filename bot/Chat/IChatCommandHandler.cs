using TheModel.Api.Conversations;
using TheModel.Api.People;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Chat;

/// <summary>A chat message addressed to the bot, already translated from the platform's payload.</summary>
public sealed record ChatRequest
{
    /// <summary>The platform the message came from.</summary>
    public required ChatPlatform Platform { get; init; }
    /// <summary>The message text with the bot's own mention removed, in plain text (the platform adapter removed its markup: <see cref="ChatText"/>).</summary>
    public required string Text { get; init; }
    /// <summary>The platform ids of the users the message mentions, the bot aside.</summary>
    public IReadOnlyList<string> Mentions { get; init; } = [];
    /// <summary>The directory person behind the platform user, when known.</summary>
    public Person? Person { get; init; }
    /// <summary>The platform's user id (Teams <c>29:…</c> / Slack <c>U…</c>).</summary>
    public required string UserId { get; init; }
    public string? UserAadObjectId { get; init; }
    public string? UserName { get; init; }
    public string? UserEmail { get; init; }
    /// <summary>Teams conversation id / Slack channel id the message came from.</summary>
    public required string ConversationId { get; init; }
    public bool IsPersonal { get; init; }
    /// <summary>The platform's locale hint (<c>ja-JP</c>, <c>en-US</c>), used when the person has none.</summary>
    public string? Locale { get; init; }
}

/// <summary>What the bot answers: always a text, plus a figures card or a help card when there is one.</summary>
public sealed record ChatReply
{
    public required string Text { get; init; }
    public FiguresCardModel? Figures { get; init; }
    /// <summary>Handoff cards to show (e.g. <c>my queue</c>), already built for the reader.</summary>
    public IReadOnlyList<HandoffCardModel> Handoffs { get; init; } = [];
    /// <summary>The asker's batons when the answer is their list (<c>my queue</c>): Teams answers with the my-batons card.</summary>
    public TheModel.Api.Handoffs.PersonBatons? Batons { get; init; }
    /// <summary>Only the asker should see it (Slack ephemeral; Teams: personal reply).</summary>
    public bool Private { get; init; }
}

/// <summary>Understands and answers chat commands (EN/JA), the same on Teams and Slack.</summary>
public interface IChatCommandHandler
{
    Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken ct = default);
}
