namespace ProcPool.Tests;

/// <summary>Tasks that report what a worker process has loaded, for the start-cost tests.</summary>
public static class WorkerStartTasks
{
    /// <summary>
    /// The simple names of the managed assemblies loaded so far, and "native:libicu" if ICU is mapped (Linux). Written
    /// without culture-aware calls, so it does not load ICU itself.
    /// </summary>
    [PoolTask]
    public static string[] LoadedModules()
    {
        var names = new List<string>();
        // FullName, not GetName(): an AssemblyName carries a CultureInfo, which loads ICU.
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            names.Add((assembly.FullName ?? "").Split(',')[0]);
        if (OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("libicu", StringComparison.Ordinal))
            names.Add("native:libicu");
        return [.. names];
    }

    /// <summary>The JIT settings a worker sees in its environment, as "TieredPGO|CallCountingDelayMs" ("unset" for none).</summary>
    [PoolTask]
    public static string JitEnvironment() =>
        $"{Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "unset"}|{Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") ?? "unset"}";
}
