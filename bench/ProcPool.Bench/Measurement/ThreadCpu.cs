using System.Globalization;

namespace ProcPool.Bench.Measurement;

/// <summary>
/// CPU time per thread of this process and the workers, from <c>/proc/PID/task/TID/stat</c>: which thread of which
/// process a workload keeps busy (<c>--cpu-profile</c>). perf does not work on this VM; this needs only /proc.
/// </summary>
public sealed class ThreadCpu
{
    private readonly Dictionary<(int Pid, int Tid), (string Name, long Ticks)> _start;
    private readonly int[] _pids;

    private ThreadCpu(int[] pids)
    {
        _pids = pids;
        _start = Snapshot(pids);
    }

    public static ThreadCpu Start(IEnumerable<int> processIds) => new([.. processIds]);

    /// <summary>CPU milliseconds per thread since <see cref="Start"/>, busiest first, as printable lines.</summary>
    public IEnumerable<string> Report(int top = 12)
    {
        var end = Snapshot(_pids);
        double msPerTick = 1000.0 / 100; // USER_HZ is 100 on Linux
        return end
            .Select(e => (e.Key, e.Value.Name, Ms: (e.Value.Ticks - (_start.TryGetValue(e.Key, out var s) ? s.Ticks : 0)) * msPerTick))
            .Where(t => t.Ms > 0)
            .OrderByDescending(t => t.Ms)
            .Take(top)
            .Select(t => $"  {t.Ms,8:0} ms  pid {t.Key.Pid} {(t.Key.Pid == Environment.ProcessId ? "(parent)" : "(worker)")} thread {t.Name}");
    }

    private static Dictionary<(int Pid, int Tid), (string Name, long Ticks)> Snapshot(int[] pids)
    {
        var result = new Dictionary<(int Pid, int Tid), (string Name, long Ticks)>();
        foreach (int pid in pids)
        {
            try
            {
                foreach (var dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    int tid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    int close = stat.LastIndexOf(')');
                    string name = stat[(stat.IndexOf('(') + 1)..close];
                    var fields = stat[(close + 2)..].Split(' ');
                    // After the name: state is field 3; utime and stime are fields 14 and 15 (1-based over the whole line).
                    long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    result[(pid, tid)] = (name, ticks);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process or thread ended.
            }
        }
        return result;
    }
}
