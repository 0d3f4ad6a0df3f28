using ProcPool;

namespace ProcPool.TestTasks;

/// <summary>Tasks declared in a library, not in the application (or test) that runs them.</summary>
public static class LibraryTasks
{
    [PoolTask]
    public static long Multiply(long a, long b) => a * b;

    [PoolTask]
    public static int ProcessId() => Environment.ProcessId;

    [PoolTask]
    public static string Greet(string name) => $"hello {name} from {typeof(LibraryTasks).Assembly.GetName().Name}";

    /// <summary>Sleeps in the worker; for tests that need a task to be running for a while.</summary>
    [PoolTask]
    public static int SleepMilliseconds(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    /// <summary>Throws in the worker, for tests of how a task's exception comes back.</summary>
    [PoolTask]
    public static int FailWith(string message) => throw new InvalidOperationException(message);

    [PoolTask]
    public static long Total(int[] values)
    {
        long total = 0;
        foreach (int value in values) total += value;
        return total;
    }

    /// <summary>Ends the worker process in the middle of a task.</summary>
    [PoolTask]
    public static int ExitProcess(int exitCode)
    {
        Environment.Exit(exitCode);
        return exitCode;
    }

    /// <summary>Waits until cancelled (or the time is up); a cooperative task, for tests of cancellation.</summary>
    [PoolTask]
    public static int WaitForCancellation(int milliseconds, CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne(milliseconds);
        cancellationToken.ThrowIfCancellationRequested();
        return Environment.ProcessId;
    }

    /// <summary>Puts <paramref name="text"/> into the queue while holding the lock: both shared objects in one task.</summary>
    [PoolTask]
    public static int PutUnderLock(SharedLock gate, SharedQueue<string> queue, string text)
    {
        using (gate.Acquire()) queue.Put(text);
        return Environment.ProcessId;
    }

    private static string? s_prefix;

    /// <summary>Sets what <see cref="Prefixed"/> puts in front: per-worker state set once by an initializer.</summary>
    [PoolInitializer]
    public static void SetPrefix(string prefix) => s_prefix = prefix;

    [PoolTask]
    public static string Prefixed(string text) => (s_prefix ?? "(no initializer)") + text;

    /// <summary>An initializer that takes its time, for the tests of a worker's warm-up.</summary>
    [PoolInitializer]
    public static void SleepingSetup(int milliseconds) => Thread.Sleep(milliseconds);
}
