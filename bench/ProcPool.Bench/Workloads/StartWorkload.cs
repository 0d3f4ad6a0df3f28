using System.Diagnostics;
using ProcPool.Bench.Measurement;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// (a) Pool start until every worker has answered a task, and (g, first half) the resident memory of an idle worker
/// right after that.
/// </summary>
public static class StartWorkload
{
    public static async Task RunAsync(BenchContext context)
    {
        var start = context.Add("a.procpool.start_ms", "(a) pool start, every worker answered a task", "ms", higherIsBetter: false);
        var rss = context.Add("g.procpool.idle_worker_rss_mib", "(g) idle worker RSS", "MiB", higherIsBetter: false);
        for (int i = 0; i < context.Settings.StartRepeats; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var pool = await WorkerPool.StartAsync(BenchContext.PoolOptions());
            // The least-loaded rule sends the two calls to the two idle workers.
            var first = pool.AddAsync(1, 2);
            var second = pool.AddAsync(3, 4);
            await first;
            await second;
            watch.Stop();
            if (first.WorkerProcessId == second.WorkerProcessId)
                throw new InvalidOperationException("Both calls ran in one worker; the start figure would not cover both.");
            start.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(200);
            rss.Add(pool.WorkerProcessIds.Max(ProcessMemory.ResidentMiB));
        }
    }
}
