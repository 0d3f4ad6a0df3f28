namespace ProcPool.Tests;

/// <summary>
/// A worker answers its first call without loading what the protocol does not need: every worker start (pool start,
/// replacement, recycling) pays for each assembly and native library it loads.
/// </summary>
[Collection(ProcessBurstCollection.Name)]
public class WorkerStartTests
{
    [Fact]
    public async Task A_fresh_worker_has_not_loaded_pipes_sockets_diagnostics_or_icu()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });

        var loaded = await pool.ApplyAsync(WorkerStartTasks.LoadedModules).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("ProcPool", loaded);
        Assert.DoesNotContain("System.Net.Sockets", loaded);
        Assert.DoesNotContain("System.Diagnostics.DiagnosticSource", loaded);
        if (!OperatingSystem.IsWindows()) Assert.DoesNotContain("System.IO.Pipes", loaded);
        if (OperatingSystem.IsLinux()) Assert.DoesNotContain("native:libicu", loaded);
    }
}
