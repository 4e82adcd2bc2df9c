using Microsoft.Extensions.Logging;

namespace TheModel.Tests.Support;

/// <summary>Records every log entry (category, level, text) of the loggers made from it, at every level.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly List<(string Category, LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public void Clear()
    {
        lock (entries)
        {
            entries.Clear();
        }
    }

    /// <summary>A logger factory that writes here only, from Trace up.</summary>
    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Trace));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (capture.entries)
            {
                capture.entries.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
