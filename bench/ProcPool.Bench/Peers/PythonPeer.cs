using System.Diagnostics;
using System.Text.Json;
using ProcPool.Bench.Measurement;

namespace ProcPool.Bench.Peers;

/// <summary>
/// Runs <c>bench/python/pool_baseline.py</c> (multiprocessing.Pool and ProcessPoolExecutor, 2 workers, spawn) in this
/// run, when python3 is on the PATH, and turns its raw samples into figures keyed <c>py.NAME</c>.
/// </summary>
public static class PythonPeer
{
    private static readonly Dictionary<string, (string Label, string Unit, bool HigherIsBetter)> Known = new(StringComparer.Ordinal)
    {
        ["pool_start_ms"] = ("Python Pool(2) start (spawn), every worker answered", "ms", false),
        ["executor_start_ms"] = ("Python ProcessPoolExecutor(2) start (spawn)", "ms", false),
        ["idle_worker_rss_mb"] = ("Python idle worker RSS", "MiB", false),
        ["apply_async_tasks_per_s"] = ("Python Pool.apply_async, 20,000 in flight", "tasks/s", true),
        ["map_items_per_s"] = ("Python Pool.map, 1,000,000 ints, chunksize 1,000", "items/s", true),
        ["apply_p50_us"] = ("Python Pool.apply round trip, p50", "us", false),
        ["apply_p99_us"] = ("Python Pool.apply round trip, p99", "us", false),
        ["executor_p50_us"] = ("Python ProcessPoolExecutor round trip, p50", "us", false),
        ["executor_p99_us"] = ("Python ProcessPoolExecutor round trip, p99", "us", false),
        ["bytes_8mb_mb_per_s"] = ("Python bytes 8 MiB round trip", "MB/s", true),
        ["raw_pipe_p50_us"] = ("floor: raw 1-byte pipe round trip between 2 processes, p50", "us", false),
        ["doubles_1m_mb_per_s"] = ("Python array('d') 1,000,000 round trip", "MB/s", true),
    };

    public static string? Version { get; private set; }

    public static void Run(BenchContext context)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "python", "pool_baseline.py");
        if (FindOnPath("python3") is not { } python)
        {
            context.Log("python3 not found: the Python peer is skipped");
            return;
        }
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        if (context.Settings.Quick) info.ArgumentList.Add("--quick");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {stderr.Result}");

        using var json = JsonDocument.Parse(stdout);
        Version = json.RootElement.GetProperty("python").GetString();
        foreach (var property in json.RootElement.GetProperty("samples").EnumerateObject())
        {
            var (label, unit, higher) = Known.TryGetValue(property.Name, out var k) ? k : (property.Name, "", false);
            var samples = new Samples(property.Value.EnumerateArray().Select(v => v.GetDouble()));
            context.Add(new Figure("py." + property.Name, label, unit, higher, samples));
        }
    }

    internal static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
