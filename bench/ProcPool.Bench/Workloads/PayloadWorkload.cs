using System.Diagnostics;

namespace ProcPool.Bench.Workloads;

/// <summary>(f) One round trip of an 8 MiB byte[] and of a double[1,000,000] through an identity task: payload MB / seconds.</summary>
public static class PayloadWorkload
{
    public static void Run(BenchContext context, WorkerPool pool)
    {
        var bytesRate = context.Add("f.procpool.bytes_8mib_mb_per_s", "(f) byte[8 MiB] round trip", "MB/s", higherIsBetter: true);
        var doublesRate = context.Add("f.procpool.doubles_1m_mb_per_s", "(f) double[1,000,000] round trip", "MB/s", higherIsBetter: true);
        var bytes = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        var doubles = new double[1_000_000];
        for (int i = 0; i < doubles.Length; i++) doubles[i] = i * 0.5;

        var cold = context.Add("f.procpool.first_round_trip_mb_per_s", "(f) byte[8 MiB], the first round trip of the pool", "MB/s", higherIsBetter: true);
        var (firstSeconds, _) = RoundTrip(pool, bytes, doubles);
        cold.Add(bytes.Length / 1e6 / firstSeconds);
        WarmUpEveryWorker(pool, bytes, doubles);
        for (int i = 0; i < context.Settings.PayloadRepeats; i++)
        {
            var (bytesSeconds, doublesSeconds) = RoundTrip(pool, bytes, doubles);
            bytesRate.Add(bytes.Length / 1e6 / bytesSeconds);
            doublesRate.Add(doubles.Length * sizeof(double) / 1e6 / doublesSeconds);
        }
    }

    /// <summary>
    /// Until every worker has carried both payloads: the first large message each way touches the pages of that
    /// worker's shared-memory rings for the first time (in both processes), a one-time cost per worker that is
    /// reported above, not a steady rate. Sequential calls do not alternate workers evenly, so one warm-up round
    /// trip often leaves the second worker cold.
    /// </summary>
    private static void WarmUpEveryWorker(WorkerPool pool, byte[] bytes, double[] doubles)
    {
        var warm = new HashSet<(int Worker, bool Doubles)>();
        int wanted = pool.WorkerProcessIds.Count * 2;
        for (int round = 0; round < 20 && warm.Count < wanted; round++)
        {
            var bytesBack = pool.ApplyAsync(BenchTasks.EchoBytes, bytes);
            bytesBack.Get();
            var doublesBack = pool.ApplyAsync(BenchTasks.EchoDoubles, doubles);
            doublesBack.Get();
            if (bytesBack.WorkerProcessId is { } b) warm.Add((b, false));
            if (doublesBack.WorkerProcessId is { } d) warm.Add((d, true));
        }
    }

    private static (double Bytes, double Doubles) RoundTrip(WorkerPool pool, byte[] bytes, double[] doubles)
    {
        var watch = Stopwatch.StartNew();
        var bytesBack = pool.Apply(BenchTasks.EchoBytes, bytes);
        double bytesSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var doublesBack = pool.Apply(BenchTasks.EchoDoubles, doubles);
        double doublesSeconds = watch.Elapsed.TotalSeconds;
        if (bytesBack.Length != bytes.Length || bytesBack[^1] != bytes[^1] || doublesBack.Length != doubles.Length || doublesBack[^1] != doubles[^1])
            throw new InvalidOperationException("A payload came back changed.");
        return (bytesSeconds, doublesSeconds);
    }
}
