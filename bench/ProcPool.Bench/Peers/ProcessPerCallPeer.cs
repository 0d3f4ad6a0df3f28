using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ProcPool.Bench.Peers;

/// <summary>
/// The .NET way without a pool: a process per call, as RemoteExecutor and Tmds.ExecFunction do. Each call starts
/// <c>dotnet exec ProcPool.Bench.Child.dll a b</c> (a tiny program: parse, add, print) and reads the answer from its
/// stdout. Figures: the round trip of one call (sequential), and throughput with two calls at a time (two "workers").
/// </summary>
public static class ProcessPerCallPeer
{
    public static void Run(BenchContext context)
    {
        string child = Path.Combine(AppContext.BaseDirectory, "ProcPool.Bench.Child.dll");
        string dotnet = FindDotnet();
        int calls = context.Settings.ProcessPerCallCalls;
        Call(dotnet, child, 0, 0); // warm the OS file cache

        var latency = context.Add("pspc.call_ms", "Process.Start per call, one call", "ms", higherIsBetter: false);
        for (int i = 0; i < calls; i++)
        {
            var watch = Stopwatch.StartNew();
            Call(dotnet, child, i, 1);
            latency.Add(watch.Elapsed.TotalMilliseconds);
        }

        var throughput = context.Add("pspc.tasks_per_s", "Process.Start per call, 2 at a time", "tasks/s", higherIsBetter: true);
        for (int repeat = 0; repeat < 2; repeat++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, calls, new ParallelOptions { MaxDegreeOfParallelism = BenchSettings.Workers }, i => Call(dotnet, child, i, i));
            throughput.Add(calls / watch.Elapsed.TotalSeconds);
        }
    }

    private static void Call(string dotnet, string child, int a, int b)
    {
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(child);
        info.ArgumentList.Add(a.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(b.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (output != (a + b).ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"The child answered '{output}' for {a} + {b} (exit code {process.ExitCode}).");
    }

    /// <summary>The dotnet host this process runs on (the benchmark may run through its apphost).</summary>
    private static string FindDotnet()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var root = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent?.Parent;
        if (root is not null && File.Exists(Path.Combine(root.FullName, exe))) return Path.Combine(root.FullName, exe);
        return exe;
    }
}
