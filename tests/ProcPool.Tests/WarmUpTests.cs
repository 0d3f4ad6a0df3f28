using System.Diagnostics;
using System.Runtime.CompilerServices;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>
/// A pool's start returns once its workers are up; each worker then loads the task assemblies it was sent at start
/// before it runs a call. Calls made meanwhile wait in its pipe with their timeouts not yet running, and a worker that
/// never finishes loading is killed at the start timeout instead of holding its calls for ever.
/// </summary>
[Collection(ProcessBurstCollection.Name)]
public class WarmUpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public WarmUpTests() => RuntimeHelpers.RunModuleConstructor(typeof(LibraryTasks).Module.ModuleHandle); // registered here, so sent to workers at start

    [Fact]
    public async Task A_call_made_while_its_worker_loads_the_task_assemblies_waits_without_its_timeout_running()
    {
        var watch = Stopwatch.StartNew();
        await using var pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 1,
            TaskTimeout = TimeSpan.FromSeconds(1),
            WorkerEnvironment = { [SlowModuleInitializer.Variable] = "2000" },
        });
        var started = watch.Elapsed;

        Assert.Equal(42, await pool.ApplyAsync(LibraryTasks.Multiply, 6L, 7L).AsTask().WaitAsync(Patience));

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"the call was answered {watch.Elapsed} after the start, before the worker's 2 s warm-up");
        Assert.True(started < TimeSpan.FromSeconds(1.9), $"the start took {started}: it waited for the warm-up");
    }

    [Fact]
    public async Task A_worker_that_never_finishes_loading_its_task_assemblies_is_killed_at_the_start_timeout()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 1,
            StartTimeout = TimeSpan.FromSeconds(2),
            WorkerEnvironment = { [SlowModuleInitializer.Variable] = "600000" },
        });

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(
            () => pool.ApplyAsync(LibraryTasks.Multiply, 6L, 7L).AsTask().WaitAsync(Patience));

        Assert.Contains("did not finish loading its task assemblies within 2 s", error.Message);
        pool.Terminate();
    }
}
