using System.Diagnostics;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// (e) The reference Pi example, with N calibrated so the serial run takes about 0.6 s: serial in this process,
/// two halves on the pool's two workers, and two halves on <c>Parallel.For</c> with two threads (the ceiling without
/// isolation). The three run in a rotating order in each repeat, so machine noise hits each alike.
/// </summary>
public static class PiWorkload
{
    public static async Task RunAsync(BenchContext context, WorkerPool pool)
    {
        var serial = context.Add("e.serial_ms", "(e) Pi, serial (this process)", "ms", higherIsBetter: false);
        var pooled = context.Add("e.procpool_ms", "(e) Pi, ProcPool 2 workers", "ms", higherIsBetter: false);
        var parallel = context.Add("e.parallel_for_ms", "(e) Pi, Parallel.For 2 threads", "ms", higherIsBetter: false);
        var speedup = context.Add("e.procpool.speedup", "(e) Pi speedup over serial, ProcPool", "x", higherIsBetter: true);
        var ofParallel = context.Add("e.procpool.of_parallel_for", "(e) ProcPool speed / Parallel.For speed", "x", higherIsBetter: true);
        // The ceiling for the first ratio on this machine at this moment: when the host gives the two cores less than
        // two cores' worth, Parallel.For's speedup falls with ProcPool's.
        var parallelSpeedup = context.Add("e.parallel_for.speedup", "(e) Pi speedup over serial, Parallel.For (the ceiling)", "x", higherIsBetter: true);

        // Warm both sides (tiering and on-stack replacement of the loop) before calibrating.
        await Task.WhenAll(pool.PartialPiAsync(1, 20_000_000).AsTask(), pool.PartialPiAsync(1, 20_000_000).AsTask());
        BenchTasks.PartialPi(1, 20_000_000);
        var probe = Stopwatch.StartNew();
        BenchTasks.PartialPi(1, 50_000_000);
        double perTerm = probe.Elapsed.TotalSeconds / 50_000_000;
        long n = Math.Max(100_000_000, (long)Math.Ceiling(0.6 / perTerm / 10_000_000) * 10_000_000);
        context.Log($"Pi: N = {n:N0}");
        context.Add("e.n", "(e) Pi, N", "terms", higherIsBetter: true).Add(n);

        Action[] runs =
        [
            () => Time(serial, () => BenchTasks.PartialPi(1, n)),
            () => Time(pooled, () => PooledHalves(pool, n)),
            () => Time(parallel, () => ParallelHalves(n)),
        ];
        for (int repeat = 0; repeat < context.Settings.PiRepeats; repeat++)
        {
            for (int k = 0; k < 3; k++) runs[(repeat + k) % 3]();
            speedup.Add(serial.Values[^1] / pooled.Values[^1]);
            ofParallel.Add(parallel.Values[^1] / pooled.Values[^1]);
            parallelSpeedup.Add(serial.Values[^1] / parallel.Values[^1]);
        }

        // Where the pooled time goes: the slowest half's time inside its worker, and the rest (sending, scheduling,
        // waking, answering). The loop's own speed in a worker against this process's serial run tells code speed
        // (where the JIT placed the loop) apart from the pool's overhead.
        var overhead = context.Add("e.procpool.overhead_ms", "(e) Pi, ProcPool time beyond the slowest half's compute", "ms", higherIsBetter: false);
        var loopSpeed = context.Add("e.worker_loop_speed", "(e) Pi loop speed in the workers / in this process (serial)", "x", higherIsBetter: true);
        for (int repeat = 0; repeat < context.Settings.PiRepeats; repeat++)
        {
            var watch = Stopwatch.StartNew();
            var first = pool.PartialPiTimedAsync(1, n / 2);
            var second = pool.PartialPiTimedAsync(n / 2 + 1, n);
            double[] a = first.Get(), b = second.Get();
            double wall = watch.Elapsed.TotalMilliseconds;
            if (Math.Abs(a[0] + b[0] - Math.PI) > 1e-6) throw new InvalidOperationException($"Pi came out as {a[0] + b[0]}.");
            overhead.Add(wall - Math.Max(a[1], b[1]));
            loopSpeed.Add(serial.Values.Average() / (a[1] + b[1]));
        }
    }

    private static void Time(Measurement.Samples into, Func<double> run)
    {
        var watch = Stopwatch.StartNew();
        double pi = run();
        watch.Stop();
        if (Math.Abs(pi - Math.PI) > 1e-6) throw new InvalidOperationException($"Pi came out as {pi}.");
        into.Add(watch.Elapsed.TotalMilliseconds);
    }

    private static double PooledHalves(WorkerPool pool, long n)
    {
        // Both halves are submitted before either is awaited (as in the reference: two apply_async, then two get):
        // `a.Get() + b.Get()` would submit the second half only after the first had finished.
        var first = pool.PartialPiAsync(1, n / 2);
        var second = pool.PartialPiAsync(n / 2 + 1, n);
        return first.Get() + second.Get();
    }

    private static double ParallelHalves(long n)
    {
        var halves = new double[2];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            i => halves[i] = i == 0 ? BenchTasks.PartialPi(1, n / 2) : BenchTasks.PartialPi(n / 2 + 1, n));
        return halves[0] + halves[1];
    }
}
