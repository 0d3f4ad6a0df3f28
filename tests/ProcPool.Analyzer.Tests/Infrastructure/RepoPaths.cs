namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>The repository this test assembly was built from: the folder above the test's output that holds ProcPool.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "ProcPool.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No ProcPool.sln above {AppContext.BaseDirectory}.");
    }
}
