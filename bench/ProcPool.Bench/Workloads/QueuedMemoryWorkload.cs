using ProcPool.Bench.Measurement;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// (g, second half) The parent's memory with 100,000 calls queued: both workers are held by a long call, then
/// 100,000 Add calls are submitted and measured (managed heap after a full collection, and resident memory) before the
/// pool is terminated.
/// </summary>
public static class QueuedMemoryWorkload
{
    public static async Task RunAsync(BenchContext context)
    {
        var managed = context.Add("g.procpool.queued_100k_managed_mb", "(g) parent managed heap, 100,000 queued", "MB", higherIsBetter: false);
        var resident = context.Add("g.procpool.queued_100k_rss_mb", "(g) parent RSS growth, 100,000 queued", "MB", higherIsBetter: false);
        var calls = new PoolResult<int>[BenchSettings.QueuedTasks];
        for (int repeat = 0; repeat < 2; repeat++)
        {
            var pool = await WorkerPool.StartAsync(BenchContext.PoolOptions());
            var holds = new[] { pool.HoldAsync(60_000, CancellationToken.None), pool.HoldAsync(60_000, CancellationToken.None) };
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            double rssBefore = ProcessMemory.ResidentMiB(Environment.ProcessId) * 1024 * 1024;
            for (int i = 0; i < calls.Length; i++) calls[i] = pool.AddAsync(i, i);
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            double rssAfter = ProcessMemory.ResidentMiB(Environment.ProcessId) * 1024 * 1024;
            if (pool.QueuedCount < calls.Length - 2 * 128)
                throw new InvalidOperationException($"Only {pool.QueuedCount} calls were queued; the workers were not held.");
            managed.Add((heapAfter - heapBefore) / 1e6);
            resident.Add((rssAfter - rssBefore) / 1e6);
            await pool.DisposeAsync(); // terminates: the queued calls fail with OperationCanceledException
            foreach (var call in calls.Concat(holds)) _ = call.Exception;
            Array.Clear(calls);
        }
    }
}
