using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>A worker that cannot start fails clearly, quickly, and without looping.</summary>
public class SpawnFailureTests
{
    [Fact]
    public async Task A_missing_worker_host_fails_StartAsync_with_its_path()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            WorkerPool.StartAsync(new PoolOptions { Workers = 1, WorkerHostPath = "/nowhere/ProcPool.Worker.dll" }));
        Assert.Contains("/nowhere/ProcPool.Worker.dll", error.Message);
    }

    [Fact]
    public async Task A_worker_host_that_cannot_run_fails_StartAsync_with_what_it_printed()
    {
        string bogus = Path.Combine(Path.GetTempPath(), $"not-a-worker-{Guid.NewGuid():N}.dll");
        await File.WriteAllTextAsync(bogus, "this is not an assembly");
        try
        {
            var watch = Stopwatch.StartNew();
            var options = ChildProcesses.Marked(out var marker, workers: 2);
            options.WorkerHostPath = bogus;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WorkerPool.StartAsync(options));

            Assert.Contains("exited before it was ready", error.Message);
            Assert.Contains("stderr", error.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"failing took {watch.Elapsed}: it should not wait for the start timeout");
            Assert.Empty(await ChildProcesses.WaitUntilGoneAsync(marker, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            File.Delete(bogus);
        }
    }

    [Fact]
    public async Task Replacements_that_keep_failing_are_given_up_and_queued_calls_fail_with_the_cause()
    {
        string flag = Path.Combine(Path.GetTempPath(), $"procpool-flag-{Guid.NewGuid():N}");
        var options = new PoolOptions { Workers = 1, Initializer = PoolInitializer.Create(CrashTasks.FailIfFileExists, flag) };
        await using var pool = await WorkerPool.StartAsync(options);
        try
        {
            Assert.Equal(2, await pool.AddAsync(1, 1));
            await File.WriteAllTextAsync(flag, "replacements must fail now");
            var running = pool.StubbornAnnouncedAsync(60_000);
            var queued = Enumerable.Range(0, 5).Select(i => pool.AddAsync(i, i)).ToList();
            await Task.Delay(300);

            Process.GetProcessById(pool.WorkerProcessIds.Single()).Kill();

            await Assert.ThrowsAsync<WorkerCrashedException>(async () => await running.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
            foreach (var call in queued)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await call.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
                Assert.Contains("replacement", error.Message);
                Assert.Contains("flag file", error.Message);
            }
            // And it does not keep trying: a new call fails at once with the same cause.
            var late = await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.AddAsync(1, 1).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("no workers left", late.Message);
        }
        finally
        {
            File.Delete(flag);
        }
    }
}
