using System.Diagnostics;

namespace ProcPool.Bench.Workloads;

/// <summary>(c) Map of Square over 1,000,000 ints with chunk size 1,000 (Python: <c>pool.map(square, items, chunksize=1000)</c>).</summary>
public static class MapWorkload
{
    public static async Task RunAsync(BenchContext context, WorkerPool pool)
    {
        var rate = context.Add("c.procpool.map_items_per_s", "(c) Map, 1,000,000 ints, chunk 1,000", "items/s", higherIsBetter: true);
        var cold = context.Add("c.procpool.first_map_items_per_s", "(c) Map, first map of a fresh pool (JIT cold)", "items/s", higherIsBetter: true);
        var items = Enumerable.Range(0, BenchSettings.MapItems).ToArray();
        // Warm-up until the JIT has settled, in both processes: for its first second a map runs on code that is still
        // being tiered up (and profiled), at a third to a half of its later speed; the first map is reported on its own.
        var warmUp = Stopwatch.StartNew();
        await MapOnceAsync(pool, items);
        cold.Add(items.Length / warmUp.Elapsed.TotalSeconds);
        for (int i = 1; i < BenchSettings.MapWarmUpMaps && warmUp.Elapsed < BenchSettings.MapWarmUp; i++) await MapOnceAsync(pool, items);
        for (int i = 0; i < context.Settings.MapRepeats; i++)
        {
            var watch = Stopwatch.StartNew();
            await MapOnceAsync(pool, items);
            watch.Stop();
            rate.Add(items.Length / watch.Elapsed.TotalSeconds);
        }
    }

    private static async Task MapOnceAsync(WorkerPool pool, int[] items)
    {
        int[] squares = await pool.MapAsync(BenchTasks.Square, items, chunkSize: BenchSettings.MapChunkSize);
        int last = items.Length - 1;
        if (squares.Length != items.Length || squares[last] != last * last) throw new InvalidOperationException("The map came back wrong.");
    }
}
