using System.Runtime.InteropServices;

namespace ProcPool.Bench.Measurement;

/// <summary>What the run ran on, for the report: CPU model, core count, memory, OS, runtime.</summary>
public static class Machine
{
    public static IReadOnlyDictionary<string, string> Describe(string? pythonVersion) => new Dictionary<string, string>
    {
        ["cpu"] = CpuModel(),
        ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["memory"] = $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB",
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["python"] = pythonVersion ?? "not run",
    };

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
