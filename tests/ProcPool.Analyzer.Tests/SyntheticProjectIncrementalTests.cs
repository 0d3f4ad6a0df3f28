using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProcPool.Analyzer.Tests.Infrastructure;
using ProcPool.Generator;
using ProcPool.Generator.Bench;
using ProcPool.Generator.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>
/// The benchmark's 500-task project: a one-line edit in an unrelated file leaves every tracked step Cached or
/// Unchanged, with the PP0007 check and the classifier running in every transform.
/// </summary>
public class SyntheticProjectIncrementalTests
{
    private static readonly string[] Steps =
    [
        TrackingNames.Extract, TrackingNames.ValidTasks, TrackingNames.AssemblyName, TrackingNames.DispatchEntries,
        TrackingNames.ExtractInitializers, TrackingNames.ValidInitializers, TrackingNames.InitializerDispatchEntries,
        TrackingNames.AllDispatchEntries,
    ];

    [Fact]
    public void One_line_edit_in_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var compilation = CSharpCompilation.Create("Synthetic",
            SyntheticProject.Sources().Select(s => CSharpSyntaxTree.ParseText(s.Text, References.ParseOptions, s.Path)),
            References.Default, References.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new PoolTaskGenerator().AsSourceGenerator()], parseOptions: References.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        // Not vacuous: every primitive-typed task was generated (the user-typed ones wait for the codec).
        Assert.True(driver.GetRunResult().GeneratedTrees.Length > SyntheticProject.TaskCount / 2);

        var unrelated = compilation.SyntaxTrees.Single(t => t.FilePath == SyntheticProject.UnrelatedPath);
        var edited = compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(SyntheticProject.Unrelated(1))));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalAssert.AllCachedOrUnchanged(result, Steps);
        IncrementalAssert.HoldsNoCompilerObjects(result, Steps);
    }
}
