namespace ProcPool.Hosting;

/// <summary>
/// Runtime settings a worker process starts with, unless the parent's environment or
/// <see cref="PoolOptions.WorkerEnvironment"/> says otherwise.
/// </summary>
internal static class WorkerRuntimeSettings
{
    /// <summary>
    /// Hot methods move to optimized code as soon as they are hot, without the runtime's 100 ms quiet period. That
    /// period keeps an app's start from competing with the JIT; a worker's start is over before its first call, and
    /// the period restarts whenever a new method is compiled, so a worker's first maps ran on unoptimized code for
    /// much of a second (bench --quick --only a,b,c,d, alternating runs: map 4.6–5.2 against 3.3–3.8 million items/s;
    /// start and idle memory unchanged within noise). It changes when code is optimized, not the code.
    /// </summary>
    /// <remarks>
    /// Everything else, tiered PGO included, stays as in the parent, so a task's loop gets the code it gets there.
    /// Workers used to start with tiered PGO off, for a shorter warm-up; that gave the Pi loop another block layout
    /// than in the parent and cost the CPU-bound benchmark up to 25% (bench --only d,e: Pi against Parallel.For
    /// 0.76–0.89× with PGO off in the workers, 0.96–1.01× with it on).
    /// </remarks>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["DOTNET_TC_CallCountingDelayMs"] = "0",
    };

    public static void Apply(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in Defaults)
            if (!environment.ContainsKey(name)) environment[name] = value;
    }
}
