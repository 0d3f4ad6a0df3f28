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
        Measure(pool, 500); // warm-up
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
