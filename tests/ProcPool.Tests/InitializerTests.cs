using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>[PoolInitializer] runs once in every worker, including replacements, with its arguments.</summary>
public class InitializerTests
{
    [Fact]
    public async Task Each_worker_runs_the_initializer_once_before_its_first_task()
    {
        var options = new PoolOptions { Workers = 2, Initializer = PoolInitializer.Create(InitializerTasks.Setup, "tag-", 7) };
        await using var pool = await WorkerPool.StartAsync(options);

        var calls = Enumerable.Range(0, 40).Select(_ => pool.ReadStateAsync()).ToList();
        var states = new List<string>();
        foreach (var call in calls) states.Add(await call);

        Assert.All(states, s => Assert.StartsWith("tag-7|1|", s));
        var pids = states.Select(s => int.Parse(s.Split('|')[2])).Distinct().ToList();
        Assert.All(pids, pid => Assert.Contains(pid, pool.WorkerProcessIds));
    }

    [Fact]
    public async Task An_async_initializer_is_awaited()
    {
        var options = new PoolOptions { Workers = 1, Initializer = PoolInitializer.Create(InitializerTasks.SetupAsync, "async") };
        await using var pool = await WorkerPool.StartAsync(options);
        Assert.StartsWith("async|1|", await pool.ReadStateAsync());
    }

    [Fact]
    public async Task An_initializer_that_throws_fails_StartAsync_and_leaves_no_worker()
    {
        var options = ChildProcesses.Marked(out var marker, workers: 2);
        options.Initializer = PoolInitializer.Create(InitializerTasks.Explode, "no database here");

        var error = await Assert.ThrowsAsync<PoolTaskException>(() => WorkerPool.StartAsync(options));

        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("no database here", error.RemoteMessage);
        Assert.Equal("InitializerTasks.Explode", error.TaskName);
        Assert.Empty(await ChildProcesses.WaitUntilGoneAsync(marker, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_replacement_worker_runs_the_initializer_again()
    {
        var options = new PoolOptions { Workers = 1, Initializer = PoolInitializer.Create(InitializerTasks.Setup, "again", 1) };
        await using var pool = await WorkerPool.StartAsync(options);
        int first = pool.WorkerProcessIds.Single();

        Process.GetProcessById(first).Kill();
        var state = await WaitForNewWorker(pool, first);

        Assert.StartsWith("again1|1|", state);
        Assert.NotEqual(first.ToString(), state.Split('|')[2]);
    }

    [Fact]
    public void A_method_without_the_attribute_is_refused()
    {
        // The analyzer reports this at compile time (PP0008); the runtime must refuse it too.
#pragma warning disable PP0008
        var error = Assert.Throws<ArgumentException>(() => PoolInitializer.Create(TestTasks.NotAnInitializer, 1));
#pragma warning restore PP0008
        Assert.Contains("NotAnInitializer", error.Message);
    }

    private static async Task<string> WaitForNewWorker(WorkerPool pool, int oldPid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var state = await pool.ReadStateAsync();
                if (!state.EndsWith("|" + oldPid, StringComparison.Ordinal)) return state;
            }
            catch (WorkerCrashedException)
            {
                // The call that was in flight when the worker died.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No replacement worker answered.");
            await Task.Delay(20);
        }
    }
}
