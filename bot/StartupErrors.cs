using System.Reflection;
using Microsoft.Extensions.Options;

namespace TheModel.Bot;

/// <summary>
/// A wrong setting stops the start with one line per bad key (<c>Outbox:BatchSize must be at least 1 (was 0)</c>) and
/// exit code 1, instead of the host's "Hosting failed to start" and a stack trace.
/// </summary>
internal static class StartupErrors
{
    /// <summary>
    /// Checks every settings section bound with <c>ValidateOnStart</c> now, before the store is touched. False (the
    /// lines printed) when one is wrong. When another program hosts the bot (the tests, <c>dotnet ef</c>), the
    /// exception goes to it instead: it reports the failure its own way.
    /// </summary>
    public static bool SettingsAreValid(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception ex) when (Assembly.GetEntryAssembly() == typeof(StartupErrors).Assembly && Lines(ex) is { Count: > 0 } lines)
        {
            foreach (var line in lines)
            {
                Console.Error.WriteLine($"Invalid setting: {line}");
            }
            Environment.ExitCode = 1;
            return false;
        }
    }

    /// <summary>The failures a settings exception holds, one line each; empty when it is not about settings.</summary>
    public static IReadOnlyList<string> Lines(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures.ToList(),
        // One bad section can fail another that reads it (Slack defaults AutoRun from the Outbox section): once each.
        AggregateException many => many.InnerExceptions.SelectMany(Lines).Distinct().ToList(),
        // A value that does not even convert (Outbox:BatchSize=ten): the binder's message names the key.
        InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" } unconvertible => [unconvertible.Message],
        _ => [],
    };
}
