using System.Text.RegularExpressions;
using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>
/// The single ProcPool package gives a new application everything: the runtime, the worker host (found among the
/// app's own assemblies, as with a project reference), the generator and the analyzers.
/// </summary>
public class PackageTests
{
    [Fact]
    public async Task A_new_app_referencing_the_package_gets_checks_at_build_and_runs_tasks_in_workers()
    {
        string root = Path.Combine(Path.GetTempPath(), "procpool-package-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(root, "feed");
        string app = Path.Combine(root, "app");
        Directory.CreateDirectory(app);
        // A version no earlier run used, and a private package folder: nothing cached can stand in for this build.
        string version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
        try
        {
            var (packed, packOutput) = await DotnetCli.RunAsync(RepoPaths.Combine("runtime", "ProcPool.Package"),
                "pack", "--no-build", "-c", DotnetCli.Configuration, "-o", feed, $"-p:PackageVersion={version}");
            Assert.True(packed == 0, "dotnet pack failed:\n" + packOutput);

            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="procpool-test-feed" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <RestorePackagesPath>{Path.Combine(root, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="ProcPool" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using ProcPool;

                await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
                Console.WriteLine($"me {Environment.ProcessId} worker {await pool.WhereAmIAsync()}");
                Console.WriteLine("squares " + string.Join(",", await pool.MapAsync(AppTasks.Square, new[] { 1, 2, 3 })));

                public static class AppTasks
                {
                    [PoolTask] public static int WhereAmI() => Environment.ProcessId;
                    [PoolTask] public static int Square(int x) => x * x;
                }
                """);
            string broken = Path.Combine(app, "Broken.cs");
            File.WriteAllText(broken, """
                using ProcPool;
                public static class Broken
                {
                    [PoolTask] public static int Count(System.Threading.Lock gate) => 0;
                }
                """);

            var (built, buildOutput) = await DotnetCli.RunAsync(app, "build", "-v", "q");
            Assert.NotEqual(0, built);
            Assert.Matches(@"Broken\.cs\(4,40\): error PP0002: Parameter 'gate' of Broken\.Count", buildOutput);

            // The package's build/ProcPool.props hands PublishAot to the analyzers (PP0011).
            string editorConfig = Directory.GetFiles(Path.Combine(app, "obj"), "*.GeneratedMSBuildEditorConfig.editorconfig", SearchOption.AllDirectories).Single();
            Assert.Contains("build_property.PublishAot", File.ReadAllText(editorConfig));

            File.Delete(broken);
            var (ran, runOutput) = await DotnetCli.RunAsync(app, "run");
            Assert.True(ran == 0, "dotnet run failed:\n" + runOutput);
            var pids = Regex.Match(runOutput, @"me (\d+) worker (\d+)");
            Assert.True(pids.Success, runOutput);
            Assert.NotEqual(pids.Groups[1].Value, pids.Groups[2].Value);
            Assert.Contains("squares 1,4,9", runOutput);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
