using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Auth;

/// <summary>The <c>Api</c> section: <c>Api:Keys:{i}:Key</c>, <c>…:Scopes</c>, <c>…:Name</c>. No key = every REST call is 401.</summary>
public sealed class ApiKeysOptions
{
    public const string Section = "Api";

    public List<ApiKeySetting> Keys { get; set; } = [];

    /// <summary>The keys in force: entries without a key are left out; a key without scopes may read.</summary>
    public IReadOnlyList<ApiKey> ToKeys() => Keys
        .Select((k, i) => new ApiKey(string.IsNullOrEmpty(k.Name) ? $"key{i}" : k.Name, k.Key ?? "", k.ScopeNames))
        .Where(k => k.Key.Length > 0)
        .ToList();
}

public sealed class ApiKeySetting
{
    /// <summary>Who calls with this key; the actor in the event log.</summary>
    public string? Name { get; set; }
    public string? Key { get; set; }
    /// <summary><c>read</c>, <c>write</c>, <c>admin</c>: <c>Scopes:0</c>, … or one value such as <c>read write</c>.</summary>
    public SettingList? Scopes { get; set; }

    /// <summary>Each scope once split (<c>Scopes:0 = "read write"</c> is two); none given = read.</summary>
    public IReadOnlyList<string> ScopeNames =>
        Scopes is { Count: > 0 } given ? SettingList.Parse(string.Join(' ', given)) : [ApiScopes.Read];
}

/// <summary>A misspelt scope would quietly make a key useless (every call 403): refuse it at start.</summary>
public sealed class ApiKeysOptionsValidator : IValidateOptions<ApiKeysOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeysOptions options)
    {
        var checks = new SettingChecks(ApiKeysOptions.Section);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            foreach (var scope in options.Keys[i].ScopeNames)
            {
                if (!ApiScopes.Implied(scope).Any())
                {
                    checks.Fail($"Keys:{i}:Scopes", $"has unknown scope \"{scope}\" (use read, write or admin)");
                }
            }
        }
        return checks.Result;
    }
}
