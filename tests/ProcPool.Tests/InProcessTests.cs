namespace ProcPool.Tests;

/// <summary>PoolMode.InProcess runs tasks in this process through the same frames and codecs.</summary>
public class InProcessTests
{
    [Fact]
    public async Task Tasks_run_in_this_process_through_the_same_encoding()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2, Mode = PoolMode.InProcess });

        Assert.Equal(Environment.ProcessId, await pool.ProcessIdAsync());
        Assert.Equal(42, await pool.AddAsync(40, 2));
        const string loneSurrogate = "a\ud800b";
        Assert.Equal("b\ud800a", await pool.ReverseAsync(loneSurrogate));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 2 * i), await pool.StarMapAsync(TestTasks.Add, Enumerable.Range(0, 100).Select(i => (i, i)).ToList()));
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await pool.FailAsync("in process"));
        Assert.Equal("System.InvalidOperationException", error.RemoteType);
    }

    [Fact]
    public async Task In_process_pools_start_fast_and_stop_cleanly()
    {
        var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 4, Mode = PoolMode.InProcess });
        Assert.All(pool.WorkerProcessIds, pid => Assert.Equal(Environment.ProcessId, pid));
        pool.Close();
        await pool.JoinAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await pool.DisposeAsync();
    }
}
