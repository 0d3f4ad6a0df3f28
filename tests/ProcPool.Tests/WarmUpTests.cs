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
            WorkerEnvironment = { [SlowModuleInitializer.Variable] = "4000" },
        });
        var started = watch.Elapsed;

        Assert.Equal(42, await pool.ApplyAsync(LibraryTasks.Multiply, 6L, 7L).AsTask().WaitAsync(Patience));

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3.9), $"the call was answered {watch.Elapsed} after the start, before the worker's 4 s warm-up");
        Assert.True(started < TimeSpan.FromSeconds(3.5), $"the start took {started}: it waited for the warm-up");
    }

    [Fact]
    public async Task A_worker_that_never_finishes_loading_its_task_assemblies_is_killed_and_its_replacements_given_up_on()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 1,
            StartTimeout = TimeSpan.FromSeconds(1.5),
            WorkerEnvironment = { [SlowModuleInitializer.Variable] = "600000" },
        });

        var crashed = await Assert.ThrowsAsync<WorkerCrashedException>(
            () => pool.ApplyAsync(LibraryTasks.Multiply, 6L, 7L).AsTask().WaitAsync(Patience));
        Assert.Contains("did not finish loading its task assemblies within 1.5 s", crashed.Message);

        // Replacements must load before they count as started: each attempt times out, and the pool gives up on them
        // instead of killing one worker per start timeout for ever.
        var stranded = await Assert.ThrowsAsync<InvalidOperationException>(
            () => pool.ApplyAsync(LibraryTasks.Multiply, 6L, 7L).AsTask().WaitAsync(Patience));
        Assert.Contains("attempts to start a replacement failed", stranded.Message);
        Assert.Contains("within 1.5 s", stranded.Message); // the last attempt's cause: a warm-up (or, on a loaded machine, a start) that took too long
        pool.Terminate();
    }

    [Fact]
    public async Task An_initializers_timeout_starts_after_the_warm_up()
    {
        // 1.5 s of warm-up and a 2 s initializer fit a 3 s start timeout each, though not both in one.
        var watch = Stopwatch.StartNew();
        await using var pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 1,
            StartTimeout = TimeSpan.FromSeconds(3),
            Initializer = PoolInitializer.Create(LibraryTasks.SleepingSetup, 2000),
            WorkerEnvironment = { [SlowModuleInitializer.Variable] = "1500" },
        });

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3.4), $"the start took {watch.Elapsed}: it did not wait for the warm-up and the initializer");
        Assert.Equal(42, await pool.ApplyAsync(LibraryTasks.Multiply, 6L, 7L).AsTask().WaitAsync(Patience));
    }
}
