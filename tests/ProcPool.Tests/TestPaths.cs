namespace ProcPool.Tests;

internal static class TestPaths
{
    /// <summary>The build output folder of another project under tests/, for the same configuration and framework as this one.</summary>
    public static string OutputOf(string project)
    {
        // .../tests/ProcPool.Tests/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = here.Name;
        string configuration = here.Parent!.Name;
        var tests = here.Parent!.Parent!.Parent!.Parent!;
        return Path.Combine(tests.FullName, project, "bin", configuration, tfm);
    }
}
