using System.Runtime.CompilerServices;

namespace ProcPool.TestTasks;

/// <summary>
/// Makes loading this assembly slow in processes that have <see cref="Variable"/> set (a pool's workers, through
/// <c>PoolOptions.WorkerEnvironment</c>), for the tests of a worker's warm-up.
/// </summary>
public static class SlowModuleInitializer
{
    /// <summary>Milliseconds this assembly's module initializer sleeps.</summary>
    public const string Variable = "PROCPOOL_TEST_SLOW_MODULE_INIT_MS";

#pragma warning disable CA2255 // a test hook: the point is to run when the assembly loads
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void SleepIfAsked()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(Variable), out int milliseconds)) Thread.Sleep(milliseconds);
    }
}
