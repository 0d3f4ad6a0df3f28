namespace ProcPool.Tests;

/// <summary>
/// Finds live worker processes by a marker placed in their environment (Linux: /proc), so a test can prove it
/// left none behind even while other tests run pools of their own.
/// </summary>
internal static class ChildProcesses
{
    public const string MarkerVariable = "PROCPOOL_TEST_MARKER";

    /// <summary>Options whose workers carry a fresh marker; pass the marker to <see cref="WithMarker"/>.</summary>
    public static PoolOptions Marked(out string marker, int workers = 2)
    {
        marker = Guid.NewGuid().ToString("N");
        var options = new PoolOptions { Workers = workers };
        options.WorkerEnvironment[MarkerVariable] = marker;
        return options;
    }

    public static int[] WithMarker(string marker)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var needle = $"{MarkerVariable}={marker}";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (!ProcessProbe.IsAlive(pid)) continue;
                var environment = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environment.Contains(needle, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return [.. found];
    }

    /// <summary>Waits briefly for marked workers to be gone; returns those still alive.</summary>
    public static async Task<int[]> WaitUntilGoneAsync(string marker, TimeSpan within)
    {
        await Eventually.TrueAsync(() => WithMarker(marker).Length == 0, within);
        return WithMarker(marker);
    }
}
