using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProcPool.Generator.Tests.Infrastructure;

namespace ProcPool.Generator.Tests;

/// <summary>The generator does no work, and holds no compiler objects, when an edit does not concern a task.</summary>
public class IncrementalTests
{
    private const string Tasks = """
        using ProcPool;
        namespace App;
        public static class MathTasks
        {
            [PoolTask] public static double Square(double x) => x * x;
            [PoolTask] public static int Add(int a, int b) => a + b;
            [PoolInitializer] public static void Setup(string name) { }
        }
        public static class BillingTasks
        {
            [PoolTask] public static Invoice Bill(Invoice invoice) => invoice;
        }
        """;

    // In a file of its own: an edit here changes no task's syntax, only what a task transports.
    private const string Models = """
        using System.Collections.Generic;
        namespace App;
        public sealed record Invoice(int Number, List<Line> Lines);
        public sealed record Line(string Sku, decimal Amount);
        """;

    private const string Unrelated = """
        namespace App;
        public class Customer { public string Name { get; set; } = ""; }
        """;

    private static readonly string[] AllSteps =
    [
        TrackingNames.Extract, TrackingNames.ValidTasks, TrackingNames.AssemblyName, TrackingNames.DispatchEntries,
        TrackingNames.ExtractInitializers, TrackingNames.ValidInitializers, TrackingNames.InitializerDispatchEntries,
        TrackingNames.AllDispatchEntries, TrackingNames.CodecTypes,
    ];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = TestCompiler.Compile("App", Tasks, Unrelated, Models);
        var driver = TestCompiler.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string newText)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newText)));
    }

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun();

        var edited = Replace(compilation, 1, Unrelated + "\npublic class Order { public int Id; }\n");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalAssert.AllCachedOrUnchanged(result, AllSteps);
    }

    [Fact]
    public void Rerun_on_a_cloned_compilation_is_all_cached()
    {
        var (driver, compilation) = FirstRun();

        var result = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        IncrementalAssert.AllCachedOrUnchanged(result, AllSteps);
    }

    [Fact]
    public void Body_edit_of_a_task_reruns_extraction_but_changes_no_model()
    {
        var (driver, compilation) = FirstRun();

        var edited = Replace(compilation, 0, Tasks.Replace("a + b", "b + a"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalAssert.AllCachedOrUnchanged(result, AllSteps);
    }

    [Fact]
    public void Parameter_type_change_modifies_that_task_only()
    {
        var (driver, compilation) = FirstRun();

        var edited = Replace(compilation, 0, Tasks.Replace("Square(double x)", "Square(float x)"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = IncrementalAssert.Reasons(result, TrackingNames.ValidTasks);
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, reasons.Count(r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
        Assert.Contains(IncrementalStepRunReason.Modified, IncrementalAssert.Reasons(result, TrackingNames.DispatchEntries));
    }

    [Fact]
    public void Editing_a_field_of_a_transported_type_modifies_that_task_and_only_its_changed_codec()
    {
        var (driver, compilation) = FirstRun();

        var edited = Replace(compilation, 2, Models.Replace("decimal Amount", "double Amount"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var tasks = IncrementalAssert.Reasons(result, TrackingNames.ValidTasks);
        Assert.Equal(1, tasks.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, tasks.Count(r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
        // Line's codec changed; Invoice's codec refers to Line's by name, so it stays as it was.
        var codecs = IncrementalAssert.Reasons(result, TrackingNames.CodecTypes);
        Assert.Equal(1, codecs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, codecs.Count(r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
        var lineCodec = result.GeneratedSources.Single(s => s.HintName.StartsWith("Codecs/LineCodec_", StringComparison.Ordinal));
        Assert.Contains("writer.WriteDouble(value.Amount);", lineCodec.SourceText.ToString());
    }

    [Fact]
    public void Adding_a_member_to_a_transported_type_modifies_its_codec()
    {
        var (driver, compilation) = FirstRun();

        var edited = Replace(compilation, 2, Models.Replace("decimal Amount);", "decimal Amount) { public string? Note { get; init; } }"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(IncrementalStepRunReason.Modified, IncrementalAssert.Reasons(result, TrackingNames.CodecTypes));
        var lineCodec = result.GeneratedSources.Single(s => s.HintName.StartsWith("Codecs/LineCodec_", StringComparison.Ordinal));
        Assert.Contains("Note = m2,", lineCodec.SourceText.ToString());
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        var (driver, _) = FirstRun();

        IncrementalAssert.HoldsNoCompilerObjects(driver.GetRunResult().Results.Single(), AllSteps);
    }
}
