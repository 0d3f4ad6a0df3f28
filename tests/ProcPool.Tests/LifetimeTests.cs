using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>Workers never outlive the pool, nor the process that owns it.</summary>
public class LifetimeTests
{
    [Fact]
    public async Task StartAsync_starts_the_requested_workers_and_DisposeAsync_ends_them()
    {
        var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 3 });
        var pids = pool.WorkerProcessIds;
        Assert.Equal(3, pids.Count);
        Assert.Equal(3, pids.Distinct().Count());
        Assert.All(pids, pid => Assert.True(ProcessProbe.IsAlive(pid)));
        Assert.Equal(3, await pool.AddAsync(1, 2));

        await pool.DisposeAsync();

        Assert.Empty(await ProcessProbe.WaitForExitAsync(pids, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Dispose_ends_workers_that_are_busy_and_fails_their_calls()
    {
        var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        var pids = pool.WorkerProcessIds;
        var running = pool.SleepMsAsync(60_000);
        var queued = pool.AddAsync(1, 1);
        await Task.Delay(100);

        var watch = Stopwatch.StartNew();
        await pool.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"Dispose took {watch.Elapsed}.");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queued);
        Assert.Empty(await ProcessProbe.WaitForExitAsync(pids, TimeSpan.FromSeconds(5)));
        Assert.Throws<ObjectDisposedException>(() => pool.AddAsync(1, 1));
    }

    [Fact]
    public async Task Workers_exit_when_their_parent_is_killed()
    {
        string parent = Path.Combine(TestPaths.OutputOf("ProcPool.TestParent"), "ProcPool.TestParent.dll");
        Assert.True(File.Exists(parent), $"Build ProcPool.TestParent first ({parent}).");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(parent);
        info.ArgumentList.Add("2");
        using var process = Process.Start(info)!;
        int[] workers;
        try
        {
            var line = await ReadLineStartingWith(process, "WORKERS ", TimeSpan.FromSeconds(60));
            workers = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(int.Parse)];
            Assert.Equal(2, workers.Length);
            Assert.All(workers, pid => Assert.True(ProcessProbe.IsAlive(pid)));
        }
        finally
        {
            process.Kill(); // SIGKILL: no chance to clean up
        }
        await process.WaitForExitAsync();

        var survivors = await ProcessProbe.WaitForExitAsync(workers, TimeSpan.FromSeconds(2));
        foreach (var pid in survivors) Process.GetProcessById(pid).Kill();
        Assert.Empty(survivors);
    }

    private static async Task<string> ReadLineStartingWith(Process process, string prefix, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException("The parent exited early: " + await process.StandardError.ReadToEndAsync());
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        }
    }
}
