using System.Text.RegularExpressions;
using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>
/// What a user sees: `dotnet build` of a new project that imports ProcPool.Source.props, with a Lock parameter,
/// fails with PP0002 at the parameter's file and line, from the real SDK's compiler.
/// </summary>
public class DotnetBuildTests
{
    private const string TasksSource = """
        using System.Threading;
        using ProcPool;

        namespace Throwaway;

        public static class Tasks
        {
            [PoolTask]
            public static int Count(int n, Lock gate)
            {
                lock (gate) { return n; }
            }
        }
        """;

    [Fact]
    public async Task Build_of_a_project_with_a_Lock_parameter_prints_error_PP0002_with_file_and_line()
    {
        var (exitCode, output) = await BuildThrowawayAsync("<TargetFramework>net10.0</TargetFramework>", ("Tasks.cs", TasksSource));

        Assert.NotEqual(0, exitCode);
        var match = Regex.Match(output, @"Tasks\.cs\((\d+),(\d+)\): error PP0002: (.*)");
        Assert.True(match.Success, "No 'error PP0002' with a file and line in:\n" + output);
        Assert.Equal("9", match.Groups[1].Value);    // the line of `public static int Count(int n, Lock gate)`
        Assert.Equal("36", match.Groups[2].Value);   // the column of `Lock gate`
        Assert.Contains("Parameter 'gate' of Tasks.Count can't cross to a worker process", match.Groups[3].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("error CS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_of_a_NativeAOT_application_without_TryRun_warns_PP0011_at_the_pool_start()
    {
        // PublishAot in the project file, as the IDE would see it: Source.props passes it on to the analyzers.
        var (exitCode, output) = await BuildThrowawayAsync(
            "<OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><PublishAot>true</PublishAot>",
            ("Program.cs", """
                using ProcPool;

                await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
                System.Console.WriteLine(await pool.TwiceAsync(21));

                public static class Tasks
                {
                    [PoolTask]
                    public static int Twice(int x) => 2 * x;
                }
                """));

        Assert.True(exitCode == 0, "A warning must not fail the build:\n" + output);
        var match = Regex.Match(output, @"Program\.cs\((\d+),(\d+)\): warning PP0011: (.*)");
        Assert.True(match.Success, "No 'warning PP0011' with a file and line in:\n" + output);
        Assert.Equal("3", match.Groups[1].Value);    // the line of the StartAsync call
        Assert.Contains("WorkerPool.StartAsync starts worker processes", match.Groups[3].Value, StringComparison.Ordinal);
    }

    /// <summary>
    /// `dotnet build` of a new project in a temporary folder that imports ProcPool.Source.props, with
    /// <paramref name="properties"/> (nullable is always on) and the given files; returns the exit code and the output.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> BuildThrowawayAsync(string properties, params (string Name, string Text)[] files)
    {
        string directory = Path.Combine(Path.GetTempPath(), "procpool-build-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "Throwaway.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Import Project="{RepoPaths.Combine("build", "ProcPool.Source.props")}" />
                  <PropertyGroup>
                    {properties}
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                </Project>
                """);
            foreach (var (name, text) in files) File.WriteAllText(Path.Combine(directory, name), text);

            // The repository's projects were built with this test; restore and build only the throwaway project, so
            // this test never rewrites outputs that other test processes are using.
            return await DotnetCli.RunAsync(directory,
                "build", "-nologo", "-v", "q", "-p:RestoreRecursive=false", "-p:BuildProjectReferences=false");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
