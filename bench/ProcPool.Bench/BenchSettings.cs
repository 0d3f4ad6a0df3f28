namespace ProcPool.Bench;

/// <summary>The command line, and how many repeats each workload gets. --quick repeats less; it never shrinks a workload.</summary>
/// <param name="Only">Runs only these workloads (a, b, c... soak, crash, peers), for profiling one at a time.</param>
/// <param name="CpuProfile">Prints CPU time per thread of the parent and the workers for each workload on the shared pool.</param>
/// <param name="AllocationProfile">Prints which types the run allocated (sampled), for finding per-call allocations.</param>
public sealed record BenchSettings(bool Quick, string? JsonPath, bool SkipPython, IReadOnlySet<string>? Only, bool AllocationProfile, bool CpuProfile)
{
    public int StartRepeats => Quick ? 5 : 10;
    public int ThroughputRepeats => Quick ? 3 : 10;
    public int MapRepeats => Quick ? 3 : 10;
    public int LatencyRepeats => 3;
    public int PiRepeats => Quick ? 3 : 7;
    public int PayloadRepeats => Quick ? 5 : 15;
    public int CrashRepeats => Quick ? 5 : 15;
    public TimeSpan SoakDuration => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);
    public int ProcessPerCallCalls => Quick ? 10 : 40;

    public const int Workers = 2;
    public const int ThroughputTasks = 20_000;
    public static readonly TimeSpan ThroughputWarmUp = TimeSpan.FromSeconds(1);
    public const int ThroughputWarmUpRounds = 20;
    public const int MapItems = 1_000_000;
    public const int MapChunkSize = 1_000;
    public static readonly TimeSpan MapWarmUp = TimeSpan.FromSeconds(1.5);
    public const int MapWarmUpMaps = 8;
    public const int LatencyCalls = 5_000;
    public static readonly TimeSpan LatencyWarmUp = TimeSpan.FromSeconds(1);
    public const int QueuedTasks = 100_000;

    /// <summary>True if the workload named <paramref name="name"/> runs in this run.</summary>
    public bool Runs(string name) => Only is null || Only.Contains(name);

    public static BenchSettings Parse(string[] args)
    {
        bool quick = false, skipPython = false, allocationProfile = false, cpuProfile = false;
        string? json = null;
        HashSet<string>? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--no-python": skipPython = true; break;
                case "--json" when i + 1 < args.Length: json = args[++i]; break;
                case "--only" when i + 1 < args.Length: only = [.. args[++i].Split(',')]; break;
                case "--alloc-profile": allocationProfile = true; break;
                case "--cpu-profile": cpuProfile = true; break;
                default:
                    throw new ArgumentException($"Unknown argument {args[i]}. Usage: ProcPool.Bench [--quick] [--json FILE] [--no-python] [--only a,b,...] [--alloc-profile] [--cpu-profile]");
            }
        }
        return new BenchSettings(quick, json, skipPython, only, allocationProfile, cpuProfile);
    }
}
