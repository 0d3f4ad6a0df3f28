namespace ProcPool.Tests;

/// <summary>Asks the OS whether a process is alive (a zombie awaiting its reaper counts as dead).</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return false;
            }
            // Format: pid (comm) state ...; comm may contain spaces or parentheses, so look after the last ')'.
            char state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X' or 'x');
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>SIGKILLs one of the pool's live workers at random; false if there was none, or it died just before.</summary>
    public static bool TryKillRandomWorker(WorkerPool pool)
    {
        var pids = pool.WorkerProcessIds;
        if (pids.Count == 0) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pids[Random.Shared.Next(pids.Count)]);
            process.Kill();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Polls until every process is gone or the time is up; returns those still alive.</summary>
    public static async Task<int[]> WaitForExitAsync(IEnumerable<int> pids, TimeSpan within)
    {
        int[] all = [.. pids];
        await Eventually.TrueAsync(() => !all.Any(IsAlive), within);
        return [.. all.Where(IsAlive)];
    }
}
