using ProcPool.Bench.Measurement;

namespace ProcPool.Bench;

/// <summary>One goal of issue 7 (or of the reliability issue), checked on medians measured in this run.</summary>
/// <param name="Id">a, b, c... as in the issue.</param>
/// <param name="Text">What is compared.</param>
/// <param name="Target">The floor or ceiling, as printed: "<= 0.70x".</param>
/// <param name="Value">The measured ratio or value, or null if a figure it needs is missing (no python3).</param>
/// <param name="Met">Whether the value is on the right side of the target.</param>
public sealed record GoalResult(string Id, string Text, string Target, double? Value, string Unit, bool? Met);

/// <summary>The goals, as ratios of medians of figures measured side by side in the same run.</summary>
public static class Goals
{
    public static IReadOnlyList<GoalResult> Evaluate(IReadOnlyDictionary<string, Figure> f)
    {
        double? M(string key) => f.TryGetValue(key, out var figure) && figure.Samples.Count > 0 ? figure.Median : null;
        double? Ratio(string ours, string theirs) => M(ours) is { } a && M(theirs) is { } b && b != 0 ? a / b : null;
        GoalResult AtMost(string id, string text, double? value, double limit, string unit = "x") =>
            new(id, text, $"<= {limit:0.###}{unit}", value, unit, value is { } v ? v <= limit : null);
        GoalResult AtLeast(string id, string text, double? value, double limit, string unit = "x") =>
            new(id, text, $">= {limit:0.###}{unit}", value, unit, value is { } v ? v >= limit : null);

        return
        [
            AtMost("a", "start / Python Pool(2) spawn start, alternating", Ratio("a.procpool.start_ms", "a.python.interleaved_start_ms") ?? Ratio("a.procpool.start_ms", "py.pool_start_ms"), 0.7),
            AtMost("aN", "start, native worker host / Python Pool(2) spawn start", Ratio("a.procpool.native_start_ms", "a.python.interleaved_start_ms") ?? Ratio("a.procpool.native_start_ms", "py.pool_start_ms"), 0.7),
            AtLeast("b", "ApplyAsync tasks/s / Python apply_async", Ratio("b.procpool.tasks_per_s", "py.apply_async_tasks_per_s"), 10),
            AtLeast("c", "Map items/s / Python Pool.map(chunksize=1000)", Ratio("c.procpool.map_items_per_s", "py.map_items_per_s"), 2),
            AtMost("d50", "Apply p50 / Python Pool.apply p50", Ratio("d.procpool.apply_p50_us", "py.apply_p50_us"), 0.15),
            AtMost("d99", "Apply p99 / Python ProcessPoolExecutor p99", Ratio("d.procpool.apply_p99_us", "py.executor_p99_us"), 0.25),
            AtLeast("e1", "Pi speedup over serial, 2 workers", M("e.procpool.speedup"), 1.9),
            AtLeast("e2", "Pi speed / Parallel.For speed", M("e.procpool.of_parallel_for"), 0.95),
            AtLeast("f1", "byte[8 MiB] MB/s / Python bytes", Ratio("f.procpool.bytes_8mib_mb_per_s", "py.bytes_8mb_mb_per_s"), 5),
            AtLeast("f2", "double[1M] MB/s / Python array('d')", Ratio("f.procpool.doubles_1m_mb_per_s", "py.doubles_1m_mb_per_s"), 5),
            AtMost("g1", "idle worker RSS", M("g.procpool.idle_worker_rss_mib"), 40, " MiB"),
            AtMost("g1N", "idle native worker RSS", M("g.procpool.native_idle_worker_rss_mib"), 40, " MiB"),
            AtMost("g2", "parent managed heap held by 100,000 queued calls", M("g.procpool.queued_100k_managed_mb"), 50, " MB"),
            AtMost("h", "parent bytes per ApplyAsync", M("h.procpool.bytes_per_call"), 256, " B"),
            AtLeast("r1", "soak: every call ended once, failures <= kills", M("soak.ok"), 1, ""),
            AtMost("r2", "crash detection, SIGKILL to exception", M("crash.detect_ms"), 100, " ms"),
            AtLeast("x1", "ApplyAsync tasks/s / Process.Start per call", Ratio("b.procpool.tasks_per_s", "pspc.tasks_per_s"), 10),
            AtMost("x2", "Apply p50 / Process.Start per call", M("d.procpool.apply_p50_us") is { } p50 && M("pspc.call_ms") is { } call ? p50 / 1000 / call : null, 0.1),
        ];
    }
}
