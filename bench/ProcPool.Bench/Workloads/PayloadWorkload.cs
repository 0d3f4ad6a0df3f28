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

        RoundTrip(pool, bytes, doubles); // warm-up
        for (int i = 0; i < context.Settings.PayloadRepeats; i++)
        {
            var (bytesSeconds, doublesSeconds) = RoundTrip(pool, bytes, doubles);
            bytesRate.Add(bytes.Length / 1e6 / bytesSeconds);
            doublesRate.Add(doubles.Length * sizeof(double) / 1e6 / doublesSeconds);
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
