namespace ProcPool.Hosting;

/// <summary>
/// Runtime settings a worker process starts with, unless the parent's environment or
/// <see cref="PoolOptions.WorkerEnvironment"/> says otherwise.
/// </summary>
internal static class WorkerRuntimeSettings
{
    /// <summary>
    /// Tiered PGO off: a worker runs a few task methods hot from its first second, and is started again and again
    /// (start, replacement, recycling). PGO's instrumented tier made that warm-up expensive: with it off, the
    /// benchmark's map ran 1.5–2× faster and trivial calls 15–20% faster (bench --only b,c, same machine).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["DOTNET_TieredPGO"] = "0",
    };

    public static void Apply(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in Defaults)
            if (!environment.ContainsKey(name)) environment[name] = value;
    }
}
