using System.Diagnostics;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// (b) 20,000 trivial Add calls through ApplyAsync, all in flight, then awaited in order; and (h) the bytes the
/// whole parent process allocated per call meanwhile (every thread: the caller, the outbox writers, the readers).
/// </summary>
public static class ThroughputWorkload
{
    public static async Task RunAsync(BenchContext context, WorkerPool pool)
    {
        var throughput = context.Add("b.procpool.tasks_per_s", "(b) ApplyAsync throughput, 20,000 in flight", "tasks/s", higherIsBetter: true);
        var allocated = context.Add("h.procpool.bytes_per_call", "(h) parent bytes allocated per ApplyAsync", "B", higherIsBetter: false);
        var calls = new PoolResult<int>[BenchSettings.ThroughputTasks];
        await RoundAsync(pool, calls); // warm-up: JIT, tiering, buffers, the scheduler's window
        await RoundAsync(pool, calls);
        for (int i = 0; i < context.Settings.ThroughputRepeats; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await RoundAsync(pool, calls);
            watch.Stop();
            long after = GC.GetTotalAllocatedBytes(precise: true);
            throughput.Add(calls.Length / watch.Elapsed.TotalSeconds);
            allocated.Add((after - before) / (double)calls.Length);
        }
    }

    private static async Task RoundAsync(WorkerPool pool, PoolResult<int>[] calls)
    {
        for (int i = 0; i < calls.Length; i++) calls[i] = pool.ApplyAsync(BenchTasks.Add, i, i);
        for (int i = 0; i < calls.Length; i++)
        {
            if (await calls[i] != 2 * i) throw new InvalidOperationException($"Add({i}, {i}) came back wrong.");
        }
    }
}
