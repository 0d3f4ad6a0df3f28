using System.Diagnostics;
using ProcPool.Bench.Measurement;

namespace ProcPool.Bench.Workloads;

/// <summary>(d) 5,000 sequential blocking Apply calls (Python: <c>pool.apply</c>, <c>executor.submit().result()</c>): p50 and p99.</summary>
public static class LatencyWorkload
{
    public static void Run(BenchContext context, WorkerPool pool)
    {
        var p50 = context.Add("d.procpool.apply_p50_us", "(d) Apply round trip, p50", "us", higherIsBetter: false);
        var p99 = context.Add("d.procpool.apply_p99_us", "(d) Apply round trip, p99", "us", higherIsBetter: false);
        var coldP99 = context.Add("d.procpool.first_round_apply_p99_us", "(d) Apply p99, the first 5,000 blocking calls (JIT cold)", "us", higherIsBetter: false);
        // Warm-up until the JIT has settled in all three processes, as for (b) and (c): the blocking path's methods are
        // new here, and their tier-up, 100 ms after their first calls, would land in the measured round (a few calls of
        // 1-4 ms on the development VM, all of the p99). The first round is reported on its own.
        var warmUp = Stopwatch.StartNew();
        coldP99.Add(Measure(pool, BenchSettings.LatencyCalls).Percentile(99));
        while (warmUp.Elapsed < BenchSettings.LatencyWarmUp) Measure(pool, 500);
        for (int i = 0; i < context.Settings.LatencyRepeats; i++)
        {
            var times = Measure(pool, BenchSettings.LatencyCalls);
            p50.Add(times.Percentile(50));
            p99.Add(times.Percentile(99));
        }
    }

    private static Samples Measure(WorkerPool pool, int calls)
    {
        var times = new Samples();
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            int sum = pool.Apply(BenchTasks.Add, i, 1);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (sum != i + 1) throw new InvalidOperationException($"Add({i}, 1) came back wrong.");
        }
        return times;
    }
}
