using System.Globalization;

namespace ProcPool.Bench.Measurement;

/// <summary>Resident memory of a process, from <c>/proc/PID/status</c> (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS in MiB (as <c>ps</c> and <c>top</c> count), or NaN where /proc is missing.</summary>
    public static double ResidentMiB(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return double.NaN;
    }
}
