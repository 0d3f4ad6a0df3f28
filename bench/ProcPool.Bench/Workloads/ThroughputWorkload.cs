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
        var cold = context.Add("b.procpool.first_round_tasks_per_s", "(b) ApplyAsync, first 20,000 of a fresh pool (JIT cold)", "tasks/s", higherIsBetter: true);
        var calls = new PoolResult<int>[BenchSettings.ThroughputTasks];
        // Warm-up until the JIT has settled in both processes, as for the map: a round takes under 0.1 s, and the
        // first second of calls runs on code still being tiered up and profiled (two rounds left a quick run measuring
        // 150-180 K calls/s against 250 K later in a full one). The first round is reported on its own.
        var warmUp = Stopwatch.StartNew();
        await RoundAsync(pool, calls);
        cold.Add(calls.Length / warmUp.Elapsed.TotalSeconds);
        for (int i = 1; i < BenchSettings.ThroughputWarmUpRounds && (i < 2 || warmUp.Elapsed < BenchSettings.ThroughputWarmUp); i++)
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
