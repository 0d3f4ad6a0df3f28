using Microsoft.Extensions.Logging;

namespace ProcPool.Tests;

/// <summary>
/// A logger that throws breaks nothing: the pool logs from its watchdog timer (a timeout kill), from the threads that
/// read workers' output (a throwing <see cref="PoolOptions.WorkerOutput"/>) and after a worker's death, where an
/// exception would end the process or leave the death half handled.
/// </summary>
public sealed class ThrowingLoggerTests
{
    private sealed class ThrowingLogger : ILogger
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public IDisposable BeginScope<TState>(TState state) where TState : notnull => throw new InvalidOperationException("broken scope");

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("the logger is broken");
        }
    }

    [Fact]
    public async Task A_logger_that_throws_costs_no_worker_no_call_and_no_process()
    {
        var logger = new ThrowingLogger();
        var options = new PoolOptions
        {
            Workers = 1,
            Logger = logger,
            TaskTimeout = TimeSpan.FromMilliseconds(500),
            WorkerOutput = _ => throw new InvalidOperationException("the output sink is broken"),
        };
        await using var pool = await WorkerPool.StartAsync(options);
        int startLogs = logger.Calls;
        Assert.True(startLogs >= 1, "the worker's start was not logged");

        // Output: the sink throws, then the logger that reports it throws, on the thread reading the worker's output.
        Assert.Equal(5, await pool.ApplyAsync(TestTasks.Talk, "hello").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        // A timeout: the watchdog timer kills the worker and logs; the replacement is logged too.
        await Assert.ThrowsAsync<TimeoutException>(async () => await pool.ApplyAsync(TestTasks.SleepMs, 30_000).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(7, await pool.ApplyAsync(TestTasks.Add, 3, 4).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(await Eventually.TrueAsync(() => logger.Calls >= startLogs + 3, TimeSpan.FromSeconds(10)),
            $"output, timeout and replacement should each have been logged; the logger saw {logger.Calls - startLogs} calls after the start");
    }
}
