using System.Globalization;

namespace ProcPool.Bench.Measurement;

/// <summary>Resident memory and CPU time of a process, from <c>/proc</c> (Linux).</summary>
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

    /// <summary>CPU time (user + system) the process has used so far, in ms, from <c>/proc/PID/stat</c>; NaN where missing.</summary>
    public static double CpuMilliseconds(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of the line, in USER_HZ (100 per second on Linux).
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}
