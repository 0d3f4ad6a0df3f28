using Microsoft.CodeAnalysis;
using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>Every sample and test project of the repository compiles with zero PP diagnostics: the checks don't cry wolf.</summary>
public class NoFalsePositiveTests
{
    public static TheoryData<string> Projects() =>
        [.. RepoProjectCompiler.ProjectsUsingProcPool().Select(p => Path.GetRelativePath(RepoPaths.Root, p))];

    [Fact]
    public void The_samples_and_test_projects_are_found() =>
        Assert.Contains(Path.Combine(RepoPaths.Root, "samples", "Pi", "Pi.csproj"), RepoProjectCompiler.ProjectsUsingProcPool());

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Project_compiles_with_no_PP_diagnostic(string project)
    {
        var run = await new RepoProjectCompiler().AnalyzeAsync(RepoPaths.Combine(project));

        Assert.True(!run.CompilerErrors.Any(),
            $"{project} does not compile here, so the check would mean nothing:\n" + string.Join("\n", run.CompilerErrors.Take(20).Select(AnalyzerVerifier.Describe)));
        Assert.True(!run.PoolDiagnostics.Any(), $"{project}:\n" + string.Join("\n", run.PoolDiagnostics.Select(AnalyzerVerifier.Describe)));
        // Not vacuous: the project's tasks (or its calls into a library's tasks) were seen.
        Assert.True(run.Output.SyntaxTrees.Any(t => t.ToString().Contains("[PoolTask]", StringComparison.Ordinal) || t.ToString().Contains("pool.", StringComparison.OrdinalIgnoreCase)),
            $"{project} has no [PoolTask] method and no pool call to check.");
    }
}
