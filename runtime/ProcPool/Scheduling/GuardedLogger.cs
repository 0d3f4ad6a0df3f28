using Microsoft.Extensions.Logging;

namespace ProcPool.Scheduling;

/// <summary>
/// The user's <see cref="PoolOptions.Logger"/>, with its exceptions swallowed. The pool logs from its watchdog timer,
/// from the threads that read workers' output and from callback runners: an exception there would end the process
/// (an unhandled exception on a timer or a thread) or leave a worker's death half handled, and a log line is never
/// worth that.
/// </summary>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
    public static ILogger? Wrap(ILogger? logger) => logger is null or GuardedLogger ? logger : new GuardedLogger(logger);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            // Nowhere left to report it: the logger is what failed.
        }
    }
}
