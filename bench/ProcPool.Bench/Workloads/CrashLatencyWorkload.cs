using System.Diagnostics;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// Crash detection latency: both workers run a long call; one worker is SIGKILLed; the figure is the time from the
/// kill to the moment the awaiting code catches that call's <see cref="WorkerCrashedException"/>.
/// </summary>
public static class CrashLatencyWorkload
{
    public static async Task RunAsync(BenchContext context)
    {
        var latency = context.Add("crash.detect_ms", "crash: SIGKILL to WorkerCrashedException", "ms", higherIsBetter: false);
        await using var pool = await WorkerPool.StartAsync(BenchContext.PoolOptions());
        for (int i = 0; i < context.Settings.CrashRepeats; i++)
        {
            await WaitForFullPoolAsync(pool);
            using var release = new CancellationTokenSource();
            var victim = pool.HoldAsync(30_000, release.Token);
            var bystander = pool.HoldAsync(30_000, release.Token);
            await Task.Delay(100); // both calls are running in their workers
            var pids = pool.WorkerProcessIds;
            using var process = Process.GetProcessById(pids[0]);
            long killedAt = Stopwatch.GetTimestamp();
            process.Kill();
            var first = await Task.WhenAny(victim.AsTask(), bystander.AsTask());
            double ms = Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds;
            if (first.Exception?.InnerException is not WorkerCrashedException)
                throw new InvalidOperationException($"Expected a WorkerCrashedException, got {first.Status} {first.Exception?.InnerException?.GetType().Name}.");
            latency.Add(ms);
            release.Cancel();
            try { await (first == victim.AsTask() ? bystander : victim); }
            catch (OperationCanceledException) { }
        }
    }

    private static async Task WaitForFullPoolAsync(WorkerPool pool)
    {
        var watch = Stopwatch.StartNew();
        while (pool.WorkerProcessIds.Count < BenchSettings.Workers)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("The pool did not replace its killed worker.");
            await Task.Delay(20);
        }
        await Task.WhenAll(pool.AddAsync(1, 1).AsTask(), pool.AddAsync(2, 2).AsTask());
    }
}
