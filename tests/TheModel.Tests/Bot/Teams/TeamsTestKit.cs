using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Teams;

/// <summary>What <c>/api/messages</c> answered.</summary>
public sealed record TeamsResponse(int Status, string Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>
/// Shared helpers for the Teams tests: Bot Framework-shaped activities, a signing key with the OpenID metadata and
/// JWKS served from a <see cref="RecordingServer"/>, and posting through the app's real pipeline from a chosen address.
/// </summary>
public static class TeamsTestKit
{
    public const string AppId = "6f1d5f1e-0000-4000-8000-0000000000aa";
    public const string Issuer = "https://api.botframework.com";
    public const string TenantId = "tenant-0001";
    public const string BotId = "28:" + AppId;
    public const string ChannelId = "19:is-baton@thread.tacv2";
    public const string TeamId = "19:team-general@thread.tacv2";

    /// <summary>Posts raw JSON to <c>/api/messages</c> as if from <paramref name="remote"/> (loopback by default).</summary>
    public static async Task<TeamsResponse> PostRawAsync(TheModelApp app, string json, string? authorization = null, IPAddress? remote = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/api/messages";
            c.Request.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(json);
            c.Request.Body = new MemoryStream(bytes);
            c.Request.ContentLength = bytes.Length;
            if (authorization is not null)
            {
                c.Request.Headers.Authorization = authorization;
            }
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                c.Request.Headers[name] = value;
            }
            c.Connection.RemoteIpAddress = remote ?? IPAddress.Loopback;
        });
        using var reader = new StreamReader(context.Response.Body);
        return new TeamsResponse(context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    public static Task<TeamsResponse> PostAsync(TheModelApp app, JsonObject activity, string? token = null, IPAddress? remote = null,
        IReadOnlyDictionary<string, string>? headers = null) =>
        PostRawAsync(app, activity.ToJsonString(), token is null ? null : $"Bearer {token}", remote, headers);

    /// <summary>The activity as sent from another Microsoft 365 tenant (both places Teams names the tenant).</summary>
    public static JsonObject FromTenant(JsonObject activity, string? tenantId)
    {
        activity["conversation"]!["tenantId"] = tenantId;
        activity["channelData"]!["tenant"] = tenantId is null ? null : new JsonObject { ["id"] = tenantId };
        return activity;
    }

    public static JsonObject Channel(string serviceUrl, string conversationId = ChannelId) => new()
    {
        ["id"] = conversationId,
        ["conversationType"] = "channel",
        ["tenantId"] = TenantId,
    };

    public static JsonObject Personal(string conversationId) => new()
    {
        ["id"] = conversationId,
        ["conversationType"] = "personal",
        ["tenantId"] = TenantId,
    };

    /// <summary>An activity as the Connector sends it to the bot.</summary>
    public static JsonObject Activity(string type, string serviceUrl, JsonObject conversation, User? from = null, string? id = null)
    {
        from ??= Users.Alex;
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = id ?? $"act-{Guid.NewGuid():N}",
            ["timestamp"] = "2026-11-16T00:00:00.000Z",
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = from.UserId, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "TheModel" },
            ["conversation"] = conversation,
            ["locale"] = "en-US",
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        };
        if ((string?)conversation["conversationType"] == "channel")
        {
            activity["channelData"]!["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "Sales" };
            activity["channelData"]!["channel"] = new JsonObject { ["id"] = conversation["id"]!.GetValue<string>(), ["name"] = "IS baton" };
        }
        return activity;
    }

    public static JsonObject Installation(string serviceUrl, JsonObject conversation) =>
        With(Activity("installationUpdate", serviceUrl, conversation), "action", "add");

    public static JsonObject Message(string serviceUrl, JsonObject conversation, string text, User? from = null, bool mentionBot = false)
    {
        var activity = Activity("message", serviceUrl, conversation, from);
        if (mentionBot)
        {
            text = "<at>TheModel</at> " + text;
            activity["entities"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "mention",
                    ["text"] = "<at>TheModel</at>",
                    ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "TheModel" },
                },
            };
        }
        activity["text"] = text;
        return activity;
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke for an <c>Action.Execute</c> click (inputs merged into data).</summary>
    public static JsonObject Invoke(string serviceUrl, JsonObject conversation, User from, string verb, JsonObject? data, string? replyToId = null)
    {
        var activity = Activity("invoke", serviceUrl, conversation, from);
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId ?? "card-activity";
        var action = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb };
        if (data is not null)
        {
            action["data"] = data;
        }
        activity["value"] = new JsonObject { ["action"] = action, ["trigger"] = "manual" };
        return activity;
    }

    public static JsonObject With(JsonObject node, string name, JsonNode? value)
    {
        node[name] = value;
        return node;
    }

    public sealed record User(string UserId, string Name, string AadObjectId);

    public static class Users
    {
        public static readonly User Alex = new("29:alex", "Alex Wilber", "aad-alex");
        public static readonly User Rep = new("29:rep", "Riko Sato", "aad-rep");
        public static readonly User Manager = new("29:mgr", "Mika Tanaka", "aad-mgr");
        public static readonly User Other = new("29:other", "Ken Ito", "aad-other");
        public static readonly User Stranger = new("29:stranger", "Nobody Known", "aad-stranger");
    }

    /// <summary>A bot-side Connector double: every POST/PUT answers 201/200 with a fresh id.</summary>
    public static async Task<RecordingServer> StartConnectorAsync()
    {
        var server = await RecordingServer.StartAsync();
        var n = 0;
        server.Responder = async (request, response) =>
        {
            response.ContentType = "application/json";
            var id = Interlocked.Increment(ref n);
            if (request.Method == "POST" && request.Path == "/v3/conversations")
            {
                response.StatusCode = 201;
                await response.WriteAsync($"{{\"id\":\"a:dm-{id}\"}}");
                return;
            }
            response.StatusCode = request.Method == "POST" ? 201 : 200;
            await response.WriteAsync($"{{\"id\":\"msg-{id}\"}}");
        };
        return server;
    }

    /// <summary>The IS department with a rep (assignee by round robin) and their manager, an MK and another IS member.</summary>
    public sealed record TeamsPeople(Person Rep, Person Manager, Person Other, Person Marketer);

    public static async Task<TeamsPeople> SeedDirectoryAsync(TheModelApp app, bool repHasTeamsUserId = true)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var manager = new Person { Name = Users.Manager.Name, Email = "mika@example.jp", Department = Department.IS, TeamsAadObjectId = Users.Manager.AadObjectId, Locale = "en-US", Available = false, CreatedAt = now, UpdatedAt = now };
        var rep = new Person { Name = Users.Rep.Name, Email = "riko@example.jp", Department = Department.IS, ManagerId = manager.Id, TeamsAadObjectId = Users.Rep.AadObjectId, TeamsUserId = repHasTeamsUserId ? Users.Rep.UserId : null, Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var other = new Person { Name = Users.Other.Name, Email = "ken@example.jp", Department = Department.IS, TeamsAadObjectId = Users.Other.AadObjectId, Locale = "en-US", Available = false, CreatedAt = now, UpdatedAt = now };
        var marketer = new Person { Name = "Aya Mori", Email = "aya@example.jp", Department = Department.MK, Locale = "ja-JP", CreatedAt = now, UpdatedAt = now };
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(manager, rep, other, marketer);
            await db.SaveChangesAsync();
        });
        return new TeamsPeople(rep, manager, other, marketer);
    }

    public static async Task LinkDepartmentAsync(TheModelApp app, Department department, string conversationId)
    {
        await app.WithDbAsync(async db =>
        {
            var existing = await db.Departments.FindAsync(department);
            if (existing is null)
            {
                db.Departments.Add(new DepartmentChannel { Code = department, DisplayName = DepartmentChannel.DefaultName(department), TeamsConversationId = conversationId, UpdatedAt = app.Clock.GetUtcNow().UtcDateTime });
            }
            else
            {
                existing.TeamsConversationId = conversationId;
            }
            await db.SaveChangesAsync();
        });
    }

    /// <summary>A lead with score 85 offered MK → IS (routed to the only available IS member: the rep).</summary>
    public static async Task<Guid> OfferLeadAsync(TheModelApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var handoffs = scope.ServiceProvider.GetRequiredService<HandoffService>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var lead = new Lead
        {
            Name = "Taro Yamada", Email = "taro@acme.co.jp", Domain = "acme.co.jp", Company = "Acme KK", Title = "CTO",
            Source = "webinar", Score = 85, Stage = LeadStage.Mql, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        db.Leads.Add(lead);
        var handoff = await handoffs.OfferAsync(lead, HandoffKind.MqlToIs, Actor.System);
        await db.SaveChangesAsync();
        return handoff.Id;
    }

    /// <summary>An RSA signing key published as OpenID metadata + JWKS (with channel endorsements) on a local server.</summary>
    public sealed class SigningAuthority : IAsyncDisposable
    {
        private SigningAuthority(RecordingServer server, RSA rsa, string kid)
        {
            Server = server;
            Rsa = rsa;
            Kid = kid;
        }

        public RecordingServer Server { get; }
        public RSA Rsa { get; }
        public string Kid { get; }
        public string MetadataUrl => Server.BaseUrl + "v1/.well-known/openidconfiguration";

        public static async Task<SigningAuthority> StartAsync(params string[] endorsements)
        {
            var rsa = RSA.Create(2048);
            var kid = "key-" + Guid.NewGuid().ToString("N")[..8];
            var server = await RecordingServer.StartAsync();
            var parameters = rsa.ExportParameters(false);
            var authority = new SigningAuthority(server, rsa, kid);
            authority.Jwks = new JsonObject
            {
                ["keys"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                        ["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
                    },
                },
            }.ToJsonString();
            server.Responder = async (request, response) =>
            {
                response.ContentType = "application/json";
                if (request.Path.EndsWith("/keys", StringComparison.Ordinal))
                {
                    await response.WriteAsync(authority.Jwks);
                    return;
                }
                await response.WriteAsync(new JsonObject
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = "https://invalid.botframework.com/v1/auth/authorize",
                    ["jwks_uri"] = server.BaseUrl + "v1/.well-known/keys",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
                }.ToJsonString());
            };
            return authority;
        }

        /// <summary>The JWKS document served; replace it to roll the keys over.</summary>
        public string Jwks { get; set; } = "";

        /// <summary>Publishes a second key (as the Bot Framework does before signing with it) and returns it.</summary>
        public (RSA Key, string Kid) RollOver(params string[] endorsements)
        {
            var next = RSA.Create(2048);
            var nextKid = "key-" + Guid.NewGuid().ToString("N")[..8];
            var parameters = next.ExportParameters(false);
            var keys = JsonNode.Parse(Jwks)!["keys"]!.AsArray();
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["kid"] = nextKid,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                ["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
            });
            Jwks = new JsonObject { ["keys"] = keys.DeepClone() }.ToJsonString();
            return (next, nextKid);
        }

        public string Token(DateTimeOffset now, string serviceUrl, string audience = AppId, string issuer = Issuer,
            TimeSpan? lifetime = null, DateTimeOffset? notBefore = null, RSA? signWith = null, string? kid = null)
        {
            var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
            var nbf = notBefore ?? now.AddMinutes(-1);
            var exp = nbf + (lifetime ?? TimeSpan.FromHours(1));
            return handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                IssuedAt = nbf.UtcDateTime,
                NotBefore = nbf.UtcDateTime,
                Expires = exp.UtcDateTime,
                Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl), new Claim("appid", "d6d49420-f39b-4df7-a1dc-d59a935871db")]),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(signWith ?? Rsa) { KeyId = kid ?? Kid }, SecurityAlgorithms.RsaSha256),
            });
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Rsa.Dispose();
        }
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
