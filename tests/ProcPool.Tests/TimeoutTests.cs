namespace ProcPool.Tests;

/// <summary>Timeouts and cancellation really stop work: a stuck worker is killed and replaced.</summary>
public class TimeoutTests
{
    [Fact]
    public async Task TaskTimeout_kills_the_worker_and_throws_TimeoutException()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, TaskTimeout = TimeSpan.FromSeconds(1) });
        int before = pool.WorkerProcessIds.Single();

        var error = await Assert.ThrowsAsync<TimeoutException>(async () => await pool.StubbornAsync(30_000).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("TestTasks.Stubborn", error.Message);
        Assert.Equal(4, await pool.AddAsync(2, 2));
        Assert.NotEqual(before, pool.WorkerProcessIds.Single());
        Assert.False(ProcessProbe.IsAlive(before));
    }

    [Fact]
    public async Task A_per_call_timeout_applies_to_that_call_only()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });

        var slow = pool.StubbornAsync(30_000).WithTimeout(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAsync<TimeoutException>(async () => await slow.AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(400, await pool.StubbornAsync(400)); // no pool-wide timeout: a slower call is fine
    }

    [Fact]
    public async Task Time_in_the_queue_does_not_count_against_the_timeout()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, TaskTimeout = TimeSpan.FromSeconds(2) });
        var calls = Enumerable.Range(0, 4).Select(_ => pool.SleepMsAsync(700)).ToList();
        foreach (var call in calls) Assert.Equal(700, await call); // 2.8 s of queue in all, each call well within 2 s
    }

    [Fact]
    public async Task A_running_task_that_ignores_cancellation_is_killed_after_the_grace_period()
    {
        var started = new TaskCompletionSource();
        var options = new PoolOptions
        {
            Workers = 1,
            CancelGracePeriod = TimeSpan.FromMilliseconds(300),
            WorkerOutput = line => { if (line.Line == "stubborn started") started.TrySetResult(); },
        };
        await using var pool = await WorkerPool.StartAsync(options);
        int before = pool.WorkerProcessIds.Single();
        using var cancellation = new CancellationTokenSource();
        var stubborn = pool.StubbornAnnouncedAsync(60_000, cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30)); // cancel only once it really runs

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stubborn);
        Assert.Equal(5, await pool.AddAsync(2, 3).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.NotEqual(before, pool.WorkerProcessIds.Single());
    }

    [Fact]
    public async Task A_queued_call_that_is_cancelled_never_runs()
    {
        var lines = new List<string>();
        var options = new PoolOptions { Workers = 1, WorkerOutput = l => { lock (lines) lines.Add(l.Line); } };
        await using var pool = await WorkerPool.StartAsync(options);
        var busy = pool.SleepMsAsync(400);
        using var cancellation = new CancellationTokenSource();
        var queued = pool.AnnounceAsync(12345, cancellation.Token);

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queued);
        Assert.Equal(400, await busy);
        Assert.Equal(1, await pool.AnnounceAsync(1));
        await Task.Delay(200);
        lock (lines)
        {
            Assert.Contains("announce 1", lines);
            Assert.DoesNotContain("announce 12345", lines);
        }
    }
}
