using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Support;

/// <summary>The service's log lines, as its console would print them, for tests that wait for what it reported.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    /// <summary>How many lines of <paramref name="level"/> or above contain <paramref name="text"/>.</summary>
    public int Count(string text, LogLevel level = LogLevel.Trace) =>
        Entries.Count(e => e.Level >= level && e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Entries.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
