using System.Diagnostics;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// Reliability soak: calls in waves of 1,000 while a killer SIGKILLs a random worker every ~0.5 s. Every call must
/// end exactly once, with its own value or a <see cref="WorkerCrashedException"/>, and a kill may cost at most the
/// one call its worker was running (failures ≤ kills).
/// </summary>
public static class SoakWorkload
{
    private const int Wave = 1_000;

    public static async Task RunAsync(BenchContext context)
    {
        await using var pool = await WorkerPool.StartAsync(BenchContext.PoolOptions());
        long submitted = 0, succeeded = 0, crashed = 0, endings = 0;
        int kills = 0;
        using var stop = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(500, stop.Token); }
                catch (OperationCanceledException) { return; }
                var pids = pool.WorkerProcessIds;
                if (pids.Count == 0) continue;
                try
                {
                    Process.GetProcessById(pids[Random.Shared.Next(pids.Count)]).Kill();
                    Interlocked.Increment(ref kills);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // It died just before (or is being replaced).
                }
            }
        });

        var watch = Stopwatch.StartNew();
        var calls = new PoolResult<long>[Wave];
        while (watch.Elapsed < context.Settings.SoakDuration)
        {
            int first = (int)submitted;
            for (int i = 0; i < Wave; i++)
            {
                calls[i] = pool.SoakStepAsync(first + i);
                // Counts every completion: a call that ended twice would show up as endings > submitted.
                _ = calls[i].AsTask().ContinueWith(_ => Interlocked.Increment(ref endings), TaskScheduler.Default);
            }
            submitted += Wave;
            for (int i = 0; i < Wave; i++)
            {
                try
                {
                    if (await calls[i] != 3L * (first + i) + 1) throw new InvalidOperationException("A soak call came back with another call's value.");
                    succeeded++;
                }
                catch (WorkerCrashedException)
                {
                    crashed++;
                }
            }
        }
        watch.Stop();
        stop.Cancel();
        await killer;
        var settle = Stopwatch.StartNew();
        while (Interlocked.Read(ref endings) < submitted && settle.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);

        context.Add("soak.tasks_per_s", "soak: tasks/s under a killer (0.5 s)", "tasks/s", higherIsBetter: true).Add(submitted / watch.Elapsed.TotalSeconds);
        context.Add("soak.tasks", "soak: tasks", "tasks", higherIsBetter: true).Add(submitted);
        context.Add("soak.kills", "soak: workers killed", "kills", higherIsBetter: true).Add(kills);
        context.Add("soak.crash_failures", "soak: calls failed by a crash", "calls", higherIsBetter: false).Add(crashed);
        context.Add("soak.endings", "soak: completions seen (must equal tasks)", "calls", higherIsBetter: true).Add(Interlocked.Read(ref endings));
        context.Add("soak.ok", "soak: every call ended once, failures <= kills", "bool", higherIsBetter: true)
            .Add(succeeded + crashed == submitted && Interlocked.Read(ref endings) == submitted && crashed <= kills ? 1 : 0);
    }
}
