namespace ProcPool.Tests;

/// <summary>
/// A worker answers its first call without loading what the protocol does not need: every worker start (pool start,
/// replacement, recycling) pays for each assembly and native library it loads.
/// </summary>
[Collection(ProcessBurstCollection.Name)]
public class WorkerStartTests
{
    [Fact]
    public async Task A_fresh_worker_has_not_loaded_pipes_sockets_diagnostics_concurrent_collections_or_icu()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });

        var loaded = await pool.ApplyAsync(WorkerStartTasks.LoadedModules).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("ProcPool", loaded);
        Assert.DoesNotContain("System.Net.Sockets", loaded);
        Assert.DoesNotContain("System.Diagnostics.DiagnosticSource", loaded);
        // The task registry is not a ConcurrentDictionary any more: a lookup by id asks each assembly's own switch.
        Assert.DoesNotContain("System.Collections.Concurrent", loaded);
        if (!OperatingSystem.IsWindows()) Assert.DoesNotContain("System.IO.Pipes", loaded);
        if (OperatingSystem.IsLinux()) Assert.DoesNotContain("native:libicu", loaded);
    }

    [Fact]
    public async Task A_worker_runs_with_the_parents_jit_settings_unless_told_otherwise()
    {
        // A worker that compiled a task's loop under other settings than the parent gave it other code (the Pi
        // benchmark lost up to 25% to tiered PGO being switched off in workers).
        string expected = WorkerStartTasks.JitEnvironment(); // the same code, run in this process
        await using (var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 }))
            Assert.Equal(expected, await pool.ApplyAsync(WorkerStartTasks.JitEnvironment).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        var told = new PoolOptions { Workers = 1, WorkerEnvironment = { ["DOTNET_TieredPGO"] = "0" } };
        await using (var pool = await WorkerPool.StartAsync(told))
            Assert.StartsWith("0|", await pool.ApplyAsync(WorkerStartTasks.JitEnvironment).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
