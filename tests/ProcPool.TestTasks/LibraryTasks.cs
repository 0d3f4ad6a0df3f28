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

    /// <summary>An initializer that takes its time, for the tests of a worker's warm-up.</summary>
    [PoolInitializer]
    public static void SleepingSetup(int milliseconds) => Thread.Sleep(milliseconds);
}
