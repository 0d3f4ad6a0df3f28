using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>
/// A worker that dies fails only the task it was running, with the reason; calls queued behind it run elsewhere; the
/// worker is replaced and the pool carries on. (Python's Pool hangs here; ProcessPoolExecutor breaks for good.)
/// </summary>
public class CrashTests
{
    private static async Task<(WorkerPool Pool, List<string> Stderr)> StartAsync(int workers = 1, Action<PoolOptions>? configure = null)
    {
        var stderr = new List<string>();
        var options = new PoolOptions { Workers = workers, WorkerOutput = l => { if (l.IsError) lock (stderr) stderr.Add(l.Line); } };
        configure?.Invoke(options);
        return (await WorkerPool.StartAsync(options), stderr);
    }

    // before: the worker's pid, read before it starts dying (a worker leaves WorkerProcessIds as soon as its pipe breaks).
    private static async Task<WorkerCrashedException> AssertCrashes(WorkerPool pool, int before, PoolResult call)
    {
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await call.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(before, crash.ProcessId);
        Assert.True(crash.WorkerId > 0);
        // The pool replaced the worker and carries on.
        Assert.Equal(3, await pool.AddAsync(1, 2).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.NotEqual(before, pool.WorkerProcessIds.Single());
        return crash;
    }

    [Fact]
    public async Task Killed_with_SIGKILL()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var call = pool.StubbornAnnouncedAsync(60_000);
        await Task.Delay(300);
        int victim = pool.WorkerProcessIds.Single();
        Process.GetProcessById(victim).Kill();

        var crash = await AssertCrashes(pool, victim, call);
        Assert.Contains("SIGKILL", crash.ExitDescription);
        Assert.Equal(-9, crash.ExitCode);
        Assert.Equal("TestTasks.StubbornAnnounced", crash.TaskName);
        Assert.Contains("TestTasks.StubbornAnnounced", crash.Message);
    }

    [Fact]
    public async Task Environment_FailFast()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var crash = await AssertCrashes(pool, pool.WorkerProcessIds.Single(), pool.FailFastAsync("giving up on purpose"));
        Assert.Contains("SIGABRT", crash.ExitDescription);
        Assert.Equal(-6, crash.ExitCode);
        Assert.Contains(crash.LastStandardError, l => l.Contains("giving up on purpose"));
    }

    [Fact]
    public async Task Stack_overflow()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var crash = await AssertCrashes(pool, pool.WorkerProcessIds.Single(), pool.RecurseAsync(0));
        Assert.Contains("SIGABRT", crash.ExitDescription);
        Assert.Contains(crash.LastStandardError, l => l.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Access_violation_in_native_code()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var crash = await AssertCrashes(pool, pool.WorkerProcessIds.Single(), pool.NativeCrashAsync(64));
        Assert.Matches("SIGSEGV|SIGABRT|SIGBUS", crash.ExitDescription);
        Assert.Contains(crash.LastStandardError, l => l.Contains("bad pointer"));
    }

    [Fact]
    public async Task Unhandled_exception_on_a_background_thread()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var crash = await AssertCrashes(pool, pool.WorkerProcessIds.Single(), pool.ThrowOnBackgroundThreadAsync("thrown off the task's thread"));
        Assert.Contains(crash.LastStandardError, l => l.Contains("thrown off the task's thread"));
    }

    [Fact]
    public async Task Running_out_of_memory_fails_the_task_and_not_the_pool()
    {
        // A 64 MB heap limit makes the worker run out long before the machine does.
        var (pool, _) = await StartAsync(configure: o => o.WorkerEnvironment["DOTNET_GCHeapHardLimit"] = "0x4000000");
        await using var _ = pool;

        var outcome = await Record(pool.AllocateMegabytesAsync(512));

        // .NET reports a full heap as OutOfMemoryException, which comes back as the task's error; a worker the
        // kernel kills for memory comes back as a crash. Either way only this task fails.
        Assert.True(outcome is PoolTaskException { RemoteType: "System.OutOfMemoryException" } or WorkerCrashedException, $"unexpected: {outcome}");
        Assert.Equal(3, await pool.AddAsync(1, 2).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_task_that_exits_the_process()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var crash = await AssertCrashes(pool, pool.WorkerProcessIds.Single(), pool.SuicideAsync(42));
        Assert.Contains("exit code 42", crash.ExitDescription);
    }

    [Fact]
    public async Task Calls_queued_behind_the_crashed_one_run_on_another_worker()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        // Warm up so the worker takes many calls at once (they queue in its pipe, behind the crash).
        for (int i = 0; i < 50; i++) await pool.AddAsync(i, i);

        var crash = pool.FailFastAsync("boom");
        var queued = Enumerable.Range(0, 200).Select(i => pool.AddAsync(i, 1)).ToList();

        await Assert.ThrowsAsync<WorkerCrashedException>(async () => await crash.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        for (int i = 0; i < queued.Count; i++) Assert.Equal(i + 1, await queued[i].AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task RetryCrashedTasks_runs_a_crashed_task_again_on_another_worker()
    {
        var (pool, _) = await StartAsync(workers: 2, configure: o => o.RetryCrashedTasks = 2);
        await using var _ = pool;
        var call = pool.StubbornAnnouncedAsync(1500);
        await Task.Delay(300);
        Process.GetProcessById(call.WorkerProcessId ?? RunningWorker(pool, call)).Kill();

        Assert.Equal(1500, await call.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_crash_is_detected_as_soon_as_the_worker_dies()
    {
        var (pool, _) = await StartAsync();
        await using var _ = pool;
        var call = pool.StubbornAnnouncedAsync(60_000);
        await Task.Delay(300);
        var victim = Process.GetProcessById(pool.WorkerProcessIds.Single());

        var watch = Stopwatch.StartNew();
        victim.Kill();
        await Assert.ThrowsAsync<WorkerCrashedException>(async () => await call.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        // The goal is 100 ms (the benchmark reports the figure); a shared CI core gets a generous bound here.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the crash took {watch.Elapsed.TotalMilliseconds:0} ms to surface");
    }

    private static int RunningWorker(WorkerPool pool, PoolResult call) =>
        pool.Scheduler.Workers.First(w => w.RunningCall == call).ProcessId;

    private static async Task<Exception?> Record(PoolResult call)
    {
        try
        {
            await call.AsTask().WaitAsync(TimeSpan.FromSeconds(120));
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task Answers_left_in_the_pipe_behind_a_slow_decode_are_delivered_after_their_worker_exits()
    {
        // Two answers through the pipe, each taking 1.5 s to decode here; the worker dies 100 ms after the second (later
        // on a busy machine). When the exit timer first looks (500 ms after the exit) the reader is still decoding the
        // first, and the second is still in the pipe: its call must be delivered, not failed as a crash.
        var (pool, _) = await StartAsync(configure: o => o.SharedMemorySize = 0);
        await using var _ = pool;
        // Quick calls first, so the scheduler sends the second call before the first is answered.
        for (int i = 0; i < 20; i++) Assert.Equal(i, await pool.ApplyAsync(TestTasks.Identity, i));
        SlowToBuild.DelayInThisProcess = 1500;
        try
        {
            var first = pool.ApplyAsync(CrashTasks.Answer, 16, 41);
            var second = pool.ApplyAsync(CrashTasks.AnswerThenDie, 16, 42);

            Assert.Equal(41, (await first.AsTask().WaitAsync(TimeSpan.FromSeconds(60))).Marker);
            Assert.Equal(42, (await second.AsTask().WaitAsync(TimeSpan.FromSeconds(60))).Marker);
            Assert.Equal(first.WorkerProcessId, second.WorkerProcessId);
        }
        finally
        {
            SlowToBuild.DelayInThisProcess = 0;
        }
        Assert.Equal(3, await pool.AddAsync(1, 2).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
