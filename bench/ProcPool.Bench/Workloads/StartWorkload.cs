using System.Diagnostics;
using ProcPool.Bench.Measurement;
using ProcPool.Bench.Peers;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// (a) Pool start until every worker has answered a task, and (g, first half) the resident memory of an idle worker
/// right after that. The CPU time a worker used to get there is less noisy than the wall time on a shared machine.
/// </summary>
public static class StartWorkload
{
    public static async Task RunAsync(BenchContext context)
    {
        var start = context.Add("a.procpool.start_ms", "(a) pool start, every worker answered a task", "ms", higherIsBetter: false);
        var cpu = context.Add("a.procpool.worker_cpu_ms", "(a) CPU time of a worker until it answered", "ms", higherIsBetter: false);
        var rss = context.Add("g.procpool.idle_worker_rss_mib", "(g) idle worker RSS", "MiB", higherIsBetter: false);
        // Python's starts alternate with ours (goal a compares these): the host's speed drifts between minutes, and
        // the peer's own run happened earlier.
        using var python = context.Settings.SkipPython ? null : PythonStartPeer.TryStart();
        var pythonStart = python is null ? null
            : context.Add("a.python.interleaved_start_ms", "(a) Python Pool(2) start (spawn), alternating with ProcPool's", "ms", higherIsBetter: false);
        for (int i = 0; i < context.Settings.StartRepeats; i++)
        {
            // Python first in odd repeats, second in even ones, so neither side always runs on the warmer cache.
            if (python is not null && i % 2 == 1) pythonStart!.Add(python.MeasureStart());
            await MeasureOnceAsync(start, cpu, rss);
            if (python is not null && i % 2 == 0) pythonStart!.Add(python.MeasureStart());
        }
    }

    private static async Task MeasureOnceAsync(Measurement.Samples start, Measurement.Samples cpu, Measurement.Samples rss)
    {
        var watch = Stopwatch.StartNew();
        await using var pool = await WorkerPool.StartAsync(BenchContext.PoolOptions());
        // Calls in pairs until both workers have answered one (as the Python script does): the least-loaded rule
        // sends a pair to the two idle workers, unless the first call is done before the second is submitted.
        var answered = new HashSet<int>();
        while (answered.Count < BenchSettings.Workers)
        {
            var first = pool.AddAsync(1, 2);
            var second = pool.AddAsync(3, 4);
            await first;
            await second;
            answered.Add(first.WorkerProcessId!.Value);
            answered.Add(second.WorkerProcessId!.Value);
        }
        watch.Stop();
        start.Add(watch.Elapsed.TotalMilliseconds);
        foreach (int pid in pool.WorkerProcessIds) cpu.Add(ProcessMemory.CpuMilliseconds(pid));
        await Task.Delay(200);
        rss.Add(pool.WorkerProcessIds.Max(ProcessMemory.ResidentMiB));
    }
}
