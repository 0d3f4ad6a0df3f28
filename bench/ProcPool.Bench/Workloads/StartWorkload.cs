using System.Diagnostics;
using ProcPool.Bench.Measurement;
using ProcPool.Bench.Peers;

namespace ProcPool.Bench.Workloads;

/// <summary>
/// (a) Pool start until every worker has answered a task, and (g, first half) the resident memory of an idle worker
/// right after that; for both kinds of worker: the default (ProcPool.Worker.dll on the shared runtime) and the native
/// worker host (NativeAOT, PoolOptions.WorkerExecutable). The CPU time a worker used to get there is less noisy than
/// the wall time on a shared machine.
/// </summary>
public static class StartWorkload
{
    /// <summary>The benchmark's NativeAOT worker host, published by its Release build (build/ProcPool.NativeWorker.targets).</summary>
    public static string NativeWorkerPath => Path.Combine(AppContext.BaseDirectory, "native-worker",
        OperatingSystem.IsWindows() ? "ProcPool.Bench.NativeWorker.exe" : "ProcPool.Bench.NativeWorker");

    private sealed record Kind(string Name, PoolOptions Options, Samples Start, Samples Cpu, Samples Rss);

    public static async Task RunAsync(BenchContext context)
    {
        var kinds = new List<Kind>
        {
            new("default", BenchContext.PoolOptions(),
                context.Add("a.procpool.start_ms", "(a) pool start, every worker answered a task", "ms", higherIsBetter: false),
                context.Add("a.procpool.worker_cpu_ms", "(a) CPU time of a worker until it answered", "ms", higherIsBetter: false),
                context.Add("g.procpool.idle_worker_rss_mib", "(g) idle worker RSS", "MiB", higherIsBetter: false)),
        };
        if (File.Exists(NativeWorkerPath))
        {
            var options = BenchContext.PoolOptions();
            options.WorkerExecutable = NativeWorkerPath;
            kinds.Add(new("native", options,
                context.Add("a.procpool.native_start_ms", "(a) pool start, native worker host (NativeAOT)", "ms", higherIsBetter: false),
                context.Add("a.procpool.native_worker_cpu_ms", "(a) CPU time of a native worker until it answered", "ms", higherIsBetter: false),
                context.Add("g.procpool.native_idle_worker_rss_mib", "(g) idle native worker RSS", "MiB", higherIsBetter: false)));
        }
        else
        {
            context.Log($"no native worker host at {NativeWorkerPath} (built by a Release build on linux-x64): its figures are left out");
        }

        // Python's starts alternate with ours (goal a compares these): the host's speed drifts between minutes, and
        // the peer's own run happened earlier.
        using var python = context.Settings.SkipPython ? null : PythonStartPeer.TryStart();
        var pythonStart = python is null ? null
            : context.Add("a.python.interleaved_start_ms", "(a) Python Pool(2) start (spawn), alternating with ProcPool's", "ms", higherIsBetter: false);
        for (int i = 0; i < context.Settings.StartRepeats; i++)
        {
            // The order rotates, so no side always runs right after another's processes exit (or on the warmest cache).
            int turns = kinds.Count + (python is null ? 0 : 1);
            for (int turn = 0; turn < turns; turn++)
            {
                int who = (turn + i) % turns;
                if (who < kinds.Count) await MeasureOnceAsync(kinds[who]);
                else pythonStart!.Add(python!.MeasureStart());
            }
        }
    }

    private static async Task MeasureOnceAsync(Kind kind)
    {
        var watch = Stopwatch.StartNew();
        await using var pool = await WorkerPool.StartAsync(kind.Options);
        // Calls in pairs until both workers have answered one (as the Python script does): the least-loaded rule
        // sends a pair to the two idle workers, unless the first call is done before the second is submitted.
        var answered = new HashSet<int>();
        while (answered.Count < BenchSettings.Workers)
        {
            var first = pool.AddAsync(1, 2);
            var second = pool.AddAsync(3, 4);
            if (await first != 3 || await second != 7) throw new InvalidOperationException($"The {kind.Name} workers answered wrongly.");
            answered.Add(first.WorkerProcessId!.Value);
            answered.Add(second.WorkerProcessId!.Value);
        }
        watch.Stop();
        kind.Start.Add(watch.Elapsed.TotalMilliseconds);
        foreach (int pid in pool.WorkerProcessIds) kind.Cpu.Add(ProcessMemory.CpuMilliseconds(pid));
        await Task.Delay(200);
        kind.Rss.Add(pool.WorkerProcessIds.Max(ProcessMemory.ResidentMiB));
    }
}
