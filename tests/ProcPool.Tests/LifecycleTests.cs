using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>Close / Terminate / Join / DisposeAsync, as in Python's Pool, without its hangs.</summary>
public class LifecycleTests
{
    [Fact]
    public async Task When_Join_returns_after_Terminate_every_call_has_its_outcome()
    {
        // A worker counts as gone the moment its pipe breaks, but failing its calls waits for its last stderr lines;
        // Join must not return in between (WorkerProcess.Outcome read Running after Join, now and then).
        for (int round = 0; round < 3; round++)
        {
            var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
            var calls = Enumerable.Range(0, 4).Select(_ => pool.SleepForAsync(60_000)).ToList();
            pool.Close();
            pool.Terminate();

            await pool.JoinAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.All(calls, call => Assert.True(call.IsReady, "a call was still pending after Join"));
            Assert.All(calls, call => Assert.IsAssignableFrom<OperationCanceledException>(call.Exception));
        }
    }

    [Fact]
    public async Task Close_refuses_new_work_finishes_submitted_work_and_Join_waits_for_exit()
    {
        var options = ChildProcesses.Marked(out var marker);
        var pool = await WorkerPool.StartAsync(options);
        var pending = Enumerable.Range(0, 10).Select(i => pool.SleepMsAsync(20 + i)).ToList();

        pool.Close();

        Assert.False(pool.IsAcceptingWork);
        var refused = Assert.Throws<InvalidOperationException>(() => pool.AddAsync(1, 2));
        Assert.Contains("closed", refused.Message);
        await pool.JoinAsync().WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 10; i++) Assert.Equal(20 + i, await pending[i]);
        Assert.Empty(await ChildProcesses.WaitUntilGoneAsync(marker, TimeSpan.FromSeconds(5)));
        await pool.DisposeAsync();
    }

    [Fact]
    public async Task A_map_started_before_Close_runs_to_the_end()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
        var map = pool.MapAsync(TestTasks.SleepMs, Enumerable.Repeat(5, 60).ToArray(), chunkSize: 1);

        pool.Close();

        Assert.Equal(Enumerable.Repeat(5, 60), await map);
        Assert.True(pool.Join(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Join_before_Close_or_Terminate_is_refused()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        Assert.Throws<InvalidOperationException>(() => { _ = pool.JoinAsync(); });
        Assert.Throws<InvalidOperationException>(() => pool.Join());
    }

    [Fact]
    public async Task Terminate_fails_pending_work_at_once_and_Join_returns()
    {
        var options = ChildProcesses.Marked(out var marker, workers: 1);
        var pool = await WorkerPool.StartAsync(options);
        var running = pool.StubbornAsync(60_000);
        var queued = pool.AddAsync(1, 1);
        await Task.Delay(100);

        var watch = Stopwatch.StartNew();
        pool.Terminate();
        await pool.JoinAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"terminate took {watch.Elapsed}");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queued);
        Assert.Empty(await ChildProcesses.WaitUntilGoneAsync(marker, TimeSpan.FromSeconds(5)));
        Assert.Throws<InvalidOperationException>(() => pool.AddAsync(1, 1));
        await pool.DisposeAsync();
    }

    [Fact]
    public async Task Join_after_Close_does_not_hang_when_a_worker_dies()
    {
        var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
        var victim = pool.WorkerProcessIds[0];
        var pending = Enumerable.Range(0, 20).Select(_ => pool.SleepMsAsync(30)).ToList();

        pool.Close();
        Process.GetProcessById(victim).Kill();

        await pool.JoinAsync().WaitAsync(TimeSpan.FromSeconds(60));
        // Each call either finished or was the one running on the killed worker.
        int crashed = 0;
        foreach (var call in pending)
        {
            try { Assert.Equal(30, await call); }
            catch (WorkerCrashedException) { crashed++; }
        }
        Assert.InRange(crashed, 0, 1);
        await pool.DisposeAsync();
    }
}
