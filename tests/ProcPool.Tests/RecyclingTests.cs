namespace ProcPool.Tests;

/// <summary>MaxTasksPerWorker replaces workers without losing or holding up queued work (cpython gh-115634).</summary>
public class RecyclingTests
{
    [Fact]
    public async Task Workers_are_replaced_after_their_quota_and_no_task_is_lost()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2, MaxTasksPerWorker = 3 });

        var calls = Enumerable.Range(0, 30).Select(i => (i, Pid: pool.ProcessIdAsync(), Sum: pool.AddAsync(i, i))).ToList();
        foreach (var (i, _, sum) in calls) Assert.Equal(2 * i, await sum);
        var pids = new List<int>();
        foreach (var (_, pid, _) in calls) pids.Add(await pid);

        // 60 calls at 3 per worker: at least 20 workers served them, none more than 3 calls.
        Assert.True(pids.Distinct().Count() >= 10, $"only {pids.Distinct().Count()} workers served 60 calls");
        Assert.All(pids.GroupBy(p => p), g => Assert.True(g.Count() <= 3, $"worker {g.Key} ran {g.Count()} of the pid calls"));
        Assert.Equal(6, await pool.AddAsync(3, 3));
    }

    [Fact]
    public async Task Recycling_with_one_worker_and_a_quota_of_one_still_finishes_everything()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, MaxTasksPerWorker = 1 });
        int[] results = await pool.MapAsync(TestTasks.Identity, Enumerable.Range(0, 12).ToArray(), chunkSize: 2);
        Assert.Equal(Enumerable.Range(0, 12), results);
    }
}
