using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>PP0011: a NativeAOT application that starts default workers must hand worker command lines to WorkerEntryPoint.TryRun.</summary>
public class NativeEntryPointDiagnosticsTests
{
    private const string Tasks = """
        using ProcPool;
        namespace App;
        public static class Tasks
        {
            [PoolTask] public static int Twice(int x) => 2 * x;
        }
        """;

    private static readonly BuildSettings NativeApplication = BuildSettings.Application(("PublishAot", "true"));

    [Fact]
    public Task PP0011_at_every_start_of_default_workers_in_a_native_application_without_TryRun() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using System.Threading.Tasks;
        using ProcPool;
        using App;

        await using var pool = await {|#0:WorkerPool.StartAsync(new PoolOptions { Workers = 2 })|};
        using var bare = {|#1:WorkerPool.Start()|};
        var process = await {|#2:WorkerProcess.StartAsync(Tasks.Twice, 21)|};
        System.Console.WriteLine(await pool.TwiceAsync(1));
        """],
        [
            new Expected("PP0011", 0, "WorkerPool.StartAsync starts worker processes", "published with NativeAOT",
                "if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;", "PoolOptions.WorkerExecutable"),
            new Expected("PP0011", 1, "WorkerPool.Start starts"),
            new Expected("PP0011", 2, "WorkerProcess.StartAsync starts"),
        ],
        settings: NativeApplication);

    [Fact]
    public Task No_PP0011_when_top_level_statements_call_TryRun_first() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using ProcPool;
        using ProcPool.Hosting;
        using App;

        if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;
        await using var pool = await WorkerPool.StartAsync();
        System.Console.WriteLine(await pool.TwiceAsync(1));
        return 0;
        """],
        [],
        settings: NativeApplication);

    [Fact]
    public Task No_PP0011_when_a_classic_Main_calls_TryRun_through_a_qualified_name() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using System.Threading.Tasks;
        namespace App;
        public static class Program
        {
            public static async Task<int> Main(string[] args)
            {
                if (ProcPool.Hosting.WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;
                await using var pool = await ProcPool.WorkerPool.StartAsync();
                return await pool.TwiceAsync(1);
            }
        }
        """],
        [],
        settings: NativeApplication);

    [Fact]
    public Task PP0011_in_a_classic_Main_without_TryRun_and_none_for_options_with_a_worker_executable() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using System.Threading.Tasks;
        using ProcPool;
        namespace App;
        public static class Program
        {
            public static async Task<int> Main(string[] args)
            {
                await using var native = await WorkerPool.StartAsync(new PoolOptions { WorkerExecutable = "/opt/app/worker" });
                await using var inProcess = await WorkerPool.StartAsync(new PoolOptions { Mode = PoolMode.InProcess });
                var configured = Configure();
                await using var elsewhere = await WorkerPool.StartAsync(configured);
                await using var defaults = await {|#0:WorkerPool.StartAsync(null)|};
                return await native.TwiceAsync(1);
            }

            private static PoolOptions Configure() => new() { WorkerExecutable = "/opt/app/worker" };
        }
        """],
        [new Expected("PP0011", 0, "WorkerPool.StartAsync")],
        settings: NativeApplication);

    [Fact]
    public Task PP0011_when_Main_calls_only_Run_which_does_not_make_the_application_its_own_worker() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using ProcPool;
        using ProcPool.Hosting;

        if (args.Length > 0 && args[0] == "--as-worker") return WorkerEntryPoint.Run(args);
        await using var pool = await {|#0:WorkerPool.StartAsync()|};
        return 0;
        """],
        [new Expected("PP0011", 0, "WorkerPool.StartAsync")],
        settings: NativeApplication);

    [Fact]
    public Task No_PP0011_when_Main_dispatches_with_IsWorkerCommandLine() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using ProcPool;
        using ProcPool.Hosting;

        if (WorkerEntryPoint.IsWorkerCommandLine(args)) return WorkerEntryPoint.Run(args);
        await using var pool = await WorkerPool.StartAsync();
        return 0;
        """],
        [],
        settings: NativeApplication);

    [Theory]
    [InlineData("false")]
    [InlineData("")]
    public Task No_PP0011_for_an_application_on_the_shared_runtime(string publishAot) => AnalyzerVerifier.VerifyAsync([Tasks, """
        using ProcPool;
        using App;

        await using var pool = await WorkerPool.StartAsync();
        System.Console.WriteLine(await pool.TwiceAsync(1));
        """],
        [],
        settings: BuildSettings.Application(("PublishAot", publishAot)));

    [Fact]
    public Task No_PP0011_in_a_library_even_with_PublishAot() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using System.Threading.Tasks;
        using ProcPool;
        namespace App;
        public static class Runner
        {
            public static Task<WorkerPool> Start() => WorkerPool.StartAsync();
        }
        """],
        [],
        settings: BuildSettings.Library with { Properties = new Dictionary<string, string> { ["build_property.PublishAot"] = "true" } });
}
