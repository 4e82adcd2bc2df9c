using System.Globalization;
using Microsoft.Extensions.Options;

namespace TheModel.Api.Common;

/// <summary>
/// Collects what is wrong with one settings section, one line per key, each naming the key as an operator writes it
/// (<c>Outbox:BatchSize must be at least 1 (was 0)</c>): the start prints these lines and stops.
/// </summary>
public sealed class SettingChecks(string section)
{
    private readonly List<string> failures = [];

    public string Key(string name) => $"{section}:{name}";

    public SettingChecks Fail(string name, string problem)
    {
        failures.Add($"{Key(name)} {problem}");
        return this;
    }

    public SettingChecks AtLeast(string name, int value, int min) =>
        value < min ? Fail(name, $"must be at least {min} (was {value})") : this;

    public SettingChecks Between(string name, int value, int min, int max) =>
        value < min || value > max ? Fail(name, $"must be between {min} and {max} (was {value})") : this;

    public SettingChecks Positive(string name, TimeSpan value) =>
        value <= TimeSpan.Zero ? Fail(name, $"must be a positive duration such as 00:00:30 (was {Show(value)})") : this;

    public SettingChecks NotNegative(string name, TimeSpan value) =>
        value < TimeSpan.Zero ? Fail(name, $"must not be negative (was {Show(value)})") : this;

    public SettingChecks HttpUrl(string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)
            && !(Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            Fail(name, $"must be an absolute http(s) URL (was \"{value}\")");
        }
        return this;
    }

    public IReadOnlyList<string> Failures => failures;

    public ValidateOptionsResult Result => failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

/// <summary>Reading a settings section while services are being registered (to decide what to register).</summary>
public static class SettingsPeek
{
    /// <summary>
    /// The section bound as <typeparamref name="T"/>, or the defaults when a value does not even convert: the start
    /// binds the section again and stops there with that value's key, so nothing is lost by not failing here.
    /// </summary>
    public static T Peek<T>(this Microsoft.Extensions.Configuration.IConfiguration configuration, string section) where T : class, new()
    {
        try
        {
            return Microsoft.Extensions.Configuration.ConfigurationBinder.Get<T>(configuration.GetSection(section)) ?? new T();
        }
        catch (InvalidOperationException)
        {
            return new T();
        }
    }
}
