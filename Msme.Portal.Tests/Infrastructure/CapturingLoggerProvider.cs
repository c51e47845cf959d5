using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>One log call as the capturing provider saw it: the formatted message, the exception, every scope's values and the state's.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<KeyValuePair<string, object?>> Scopes,
    IReadOnlyList<KeyValuePair<string, object?>> State)
{
    /// <summary>Everything a sink could write for this call, as text.</summary>
    public IEnumerable<string> Texts() =>
        new[] { Message, Exception ?? "" }.Concat(Scopes.Select(s => $"{s.Key}={s.Value}")).Concat(State.Select(s => $"{s.Key}={s.Value}"));
}

/// <summary>Keeps every log call of a host, with the scopes (trace ids among them) active at the time.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<KeyValuePair<string, object?>>();
            provider._scopes.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    list.AddRange(pairs);
                }
                else
                {
                    list.Add(new KeyValuePair<string, object?>("", scope?.ToString()));
                }
            }, scopes);
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToList() : [];
            provider.Entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception?.ToString(), scopes, values));
        }
    }
}
