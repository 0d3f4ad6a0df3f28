using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>
/// Nothing lost, nothing doubled, nothing hangs: 20,000 calls while a killer takes a random worker down every half
/// second. (The benchmark CLI has a longer version that prints tasks/s, kills and failures.)
/// </summary>
public class SoakTests
{
    [Fact]
    public async Task Twenty_thousand_calls_under_a_killer_each_end_exactly_once()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
        const int count = 20_000;
        var watch = Stopwatch.StartNew();
        var calls = new PoolResult<long>[count];
        for (int i = 0; i < count; i++) calls[i] = pool.SoakStepAsync(i);

        int kills = 0;
        using var stop = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(500);
                if (!stop.IsCancellationRequested && ProcessProbe.TryKillRandomWorker(pool)) Interlocked.Increment(ref kills);
            }
        });

        int succeeded = 0, crashed = 0;
        for (int i = 0; i < count; i++)
        {
            try
            {
                Assert.Equal(3L * i + 1, await calls[i].AsTask().WaitAsync(TimeSpan.FromSeconds(90)));
                succeeded++;
            }
            catch (WorkerCrashedException)
            {
                crashed++;
            }
        }
        stop.Cancel();
        await killer;

        // Every call ended once (a result is set at most once, and none was left pending), with its own value or a
        // crash; and a kill costs at most the one call that was running on the killed worker.
        Assert.Equal(count, succeeded + crashed);
        Assert.All(calls, c => Assert.True(c.IsReady));
        Assert.True(kills >= 5, $"only {kills} kills happened in {watch.Elapsed}; the soak did not soak");
        Assert.True(crashed <= kills, $"{crashed} crash failures for {kills} kills");
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"the soak took {watch.Elapsed}");
    }
}
