namespace ProcPool.Tests;

/// <summary>How calls are spread over workers: pipelined when short, never stuck behind a long one.</summary>
public class SchedulingTests
{
    [Fact]
    public async Task Short_calls_do_not_queue_behind_a_long_call_when_another_worker_is_free()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
        // Many quick calls first: each worker's average becomes tiny, so it would take deep queues.
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => pool.AddAsync(i, i).AsTask()));

        var longCall = pool.SleepMsAsync(5_000);
        await Task.Delay(50);
        var quick = Enumerable.Range(0, 200).Select(i => pool.AddAsync(i, 1).AsTask()).ToArray();

        // All of them on the free worker, long before the long call ends.
        var all = Task.WhenAll(quick);
        Assert.Same(all, await Task.WhenAny(all, longCall.AsTask()));
        Assert.False(longCall.IsReady);
        for (int i = 0; i < quick.Length; i++) Assert.Equal(i + 1, await quick[i]);
    }
}
