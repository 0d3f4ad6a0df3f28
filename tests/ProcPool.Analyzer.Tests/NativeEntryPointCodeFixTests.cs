using ProcPool.Analyzer.Tests.Infrastructure;
using ProcPool.CodeFixes;

namespace ProcPool.Analyzer.Tests;

/// <summary>The PP0011 fix puts WorkerEntryPoint.TryRun first in Main, in a form that compiles whatever Main returns.</summary>
public class NativeEntryPointCodeFixTests
{
    private static readonly BuildSettings NativeApplication = BuildSettings.Application(("PublishAot", "true"));

    private const string Tasks = """
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int Twice(int x) => 2 * x;
        }
        """;

    [Fact]
    public async Task Top_level_statements_that_return_nothing_get_the_call_first_and_return_0_last()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new CallTryRunInMainCodeFix(), "PP0011", CallTryRunInMainCodeFix.Title, NativeApplication, """
            using ProcPool;

            // Starts a pool.
            await using var pool = await WorkerPool.StartAsync();
            System.Console.WriteLine(await pool.TwiceAsync(21));
            """, Tasks);

        CodeFixVerifier.AssertSameText("""
            using ProcPool;

            // Starts a pool.
            if (ProcPool.Hosting.WorkerEntryPoint.TryRun(args, out int workerExitCode)) return workerExitCode;
            await using var pool = await WorkerPool.StartAsync();
            System.Console.WriteLine(await pool.TwiceAsync(21));
            return 0;
            """, fixedSources[0]);
        await AssertFixedAsync(fixedSources);
    }

    [Fact]
    public async Task Top_level_statements_that_return_without_a_value_get_the_exit_code_form()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new CallTryRunInMainCodeFix(), "PP0011", CallTryRunInMainCodeFix.Title, NativeApplication, """
            using ProcPool;

            if (args.Length > 3) return;
            await using var pool = await WorkerPool.StartAsync();
            """, Tasks);

        CodeFixVerifier.AssertSameText("""
            using ProcPool;

            if (ProcPool.Hosting.WorkerEntryPoint.TryRun(args, out int workerExitCode)) { System.Environment.ExitCode = workerExitCode; return; }
            if (args.Length > 3) return;
            await using var pool = await WorkerPool.StartAsync();
            """, fixedSources[0]);
        await AssertFixedAsync(fixedSources);
    }

    [Fact]
    public async Task A_void_Main_sets_the_exit_code_and_returns()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new CallTryRunInMainCodeFix(), "PP0011", CallTryRunInMainCodeFix.Title, NativeApplication, """
            using ProcPool;
            public static class Program
            {
                public static void Main(string[] commandLine)
                {
                    using var pool = WorkerPool.Start();
                }
            }
            """, Tasks);

        CodeFixVerifier.AssertSameText("""
            using ProcPool;
            public static class Program
            {
                public static void Main(string[] commandLine)
                {
                    if (ProcPool.Hosting.WorkerEntryPoint.TryRun(commandLine, out int workerExitCode)) { System.Environment.ExitCode = workerExitCode; return; }
                    using var pool = WorkerPool.Start();
                }
            }
            """, fixedSources[0]);
        await AssertFixedAsync(fixedSources);
    }

    [Fact]
    public async Task An_async_Main_without_parameters_returning_an_int_reads_the_command_line_itself()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new CallTryRunInMainCodeFix(), "PP0011", CallTryRunInMainCodeFix.Title, NativeApplication, """
            using System.Threading.Tasks;
            using ProcPool;
            public static class Program
            {
                public static async Task<int> Main() => await (await WorkerPool.StartAsync()).TwiceAsync(1);
            }
            """, Tasks);

        CodeFixVerifier.AssertSameText("""
            using System.Threading.Tasks;
            using ProcPool;
            public static class Program
            {
                public static async Task<int> Main()
                {
                    if (ProcPool.Hosting.WorkerEntryPoint.TryRun(System.Environment.GetCommandLineArgs()[1..], out int workerExitCode)) return workerExitCode;
                    return await (await WorkerPool.StartAsync()).TwiceAsync(1);
                }
            }
            """, fixedSources[0]);
        await AssertFixedAsync(fixedSources);
    }

    /// <summary>The fixed program compiles (with the generator) and PP0011 is gone.</summary>
    private static async Task AssertFixedAsync(string[] sources)
    {
        var run = await AnalyzerVerifier.RunAsync(NativeApplication, sources);
        var problems = run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error || d.Id == "PP0011")
            .Select(AnalyzerVerifier.Describe).ToList();
        Assert.True(problems.Count == 0, "After the fix:\n" + string.Join("\n", problems));
    }
}
