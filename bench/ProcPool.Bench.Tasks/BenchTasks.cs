using ProcPool;

namespace ProcPool.Bench;

/// <summary>The tasks every workload runs in the workers (the Python script defines the same functions).</summary>
public static class BenchTasks
{
    [PoolTask]
    public static int Add(int a, int b) => a + b;

    [PoolTask]
    public static int Square(int x) => x * x;

    [PoolTask]
    public static byte[] EchoBytes(byte[] data) => data;

    [PoolTask]
    public static double[] EchoDoubles(double[] data) => data;

    /// <summary>Keeps a worker busy (for the queued-memory figure and the crash-latency figure).</summary>
    [PoolTask]
    public static int Hold(int milliseconds, CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne(milliseconds);
        cancellationToken.ThrowIfCancellationRequested();
        return milliseconds;
    }

    /// <summary>A small amount of work per call for the soak, so a kill usually lands while a task runs.</summary>
    [PoolTask]
    public static long SoakStep(int i)
    {
        long x = i;
        for (int k = 0; k < 2000; k++) x = x * 6364136223846793005L + 1442695040888963407L;
        return 3L * i + 1 + (x & 0);
    }

    /// <summary>
    /// <see cref="PartialPi"/> (the same method, so the same compiled loop in the worker), with the milliseconds the
    /// worker spent in it: { pi, milliseconds }. Separates the pool's overhead from how fast the loop itself runs.
    /// </summary>
    [PoolTask]
    public static double[] PartialPiTimed(long m, long n)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        double pi = PartialPi(m, n);
        return [pi, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds];
    }

    /// <summary>The reference Pi example: the Leibniz series from term m to term n, times four.</summary>
    [PoolTask]
    public static double PartialPi(long m, long n)
    {
        double pi = 0;
        for (long k = m; k <= n; k++)
        {
            double sign = k % 2 == 1 ? 1.0 : -1.0;
            pi += sign / (2 * k - 1);
        }
        return pi * 4;
    }
}
