using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>
/// The generator and the analyzer apply the same rules: every method the generator skips gets a PP error, and no
/// skipped method leaves generated code that fails to compile.
/// </summary>
public class GeneratorAgreementTests
{
    [Theory]
    [InlineData("public static int Run(System.Threading.Lock gate) => 0;", "PP0002")]
    [InlineData("public int Run(int x) => x;", "PP0001")]
    [InlineData("public static T Run<T>(T x) => x;", "PP0001")]
    [InlineData("public static System.IO.Stream Run(string path) => System.IO.Stream.Null;", "PP0003")]
    [InlineData("public static void Run(ref int x) { }", "PP0005")]
    [InlineData("public static void Run(System.Span<int> x) { }", "PP0005")]
    [InlineData("public static int Run(int x) => x; [ProcPool.PoolTask] public static int RunAsync(int x) => x;", "PP0007")]
    public async Task Invalid_task_yields_its_PP_error_and_no_compiler_error_from_generated_code(string member, string id)
    {
        var run = await AnalyzerVerifier.RunAsync($$"""
            public class Tasks
            {
                [ProcPool.PoolTask] {{member}}
                [ProcPool.PoolTask] public static int Valid(int x) => x;
            }
            public static class Caller
            {
                // The valid task's stub exists and compiles next to the invalid one.
                public static ProcPool.PoolResult<int> Call(ProcPool.WorkerPool pool) => pool.ValidAsync(1);
            }
            """);

        Assert.Contains(run.PoolDiagnostics, d => d.Id == id && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Empty(run.CompilerErrors.Select(AnalyzerVerifier.Describe));
        // The valid task was generated, the invalid one was not.
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith("Tasks.Valid.PoolTask.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.Contains("Tasks.Run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_initializer_the_analyzer_rejects_is_not_generated()
    {
        var run = await AnalyzerVerifier.RunAsync("""
            public static class Setup
            {
                [ProcPool.PoolInitializer] public static int Start(System.Threading.Lock gate) => 0;
            }
            """);

        Assert.Equal(["PP0002", "PP0010"], run.PoolDiagnostics.Select(d => d.Id).Order());
        Assert.Empty(run.CompilerErrors);
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.Contains("Setup.Start", StringComparison.Ordinal));
    }
}
