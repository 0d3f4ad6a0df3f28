using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProcPool.Generator;
using ProcPool.Generator.Analyzers;

namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>A diagnostic expected at a <c>{|#n:…|}</c> location, whose message contains every given fragment.</summary>
internal sealed record Expected(string Id, int Location, params string[] MessageContains);

/// <summary>What one run produced: the compilation with the generated files, and every diagnostic.</summary>
internal sealed record AnalysisRun(Compilation Output, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<SyntaxTree> GeneratedTrees)
{
    public IEnumerable<Diagnostic> PoolDiagnostics => Diagnostics.Where(d => d.Id.StartsWith("PP", StringComparison.Ordinal));

    public IEnumerable<Diagnostic> CompilerErrors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("PP", StringComparison.Ordinal));
}

/// <summary>
/// Runs the real generator and the real analyzers (through <see cref="CompilationWithAnalyzers"/>) over test
/// sources written with markup, and checks that the PP diagnostics are exactly the marked ones: same ID, same span,
/// nothing missing and nothing extra. It also fails on any compiler error, so a skipped task can't hide behind
/// generated code that does not compile.
/// </summary>
internal static class AnalyzerVerifier
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = [new PoolTaskDeclarationAnalyzer(), new PoolCallAnalyzer(), new NativeEntryPointAnalyzer()];

    public static Task VerifyAsync(string markup, params Expected[] expected) => VerifyAsync([markup], expected);

    /// <param name="ignore">Diagnostics this test does not judge (for example a declaration's verdict that belongs to another test).</param>
    /// <param name="settings">The output kind and build properties; a library without properties by default.</param>
    public static async Task VerifyAsync(string[] markups, Expected[] expected, Func<Diagnostic, bool>? ignore = null, BuildSettings? settings = null)
    {
        var parsed = markups.Select(Markup.Parse).ToArray();
        var run = await RunAsync(settings ?? BuildSettings.Library, parsed.Select(p => p.Source).ToArray());

        Assert.True(!run.CompilerErrors.Any(), "Compiler errors:\n" + string.Join("\n", run.CompilerErrors.Select(Describe)));

        var expectedLines = new List<string>();
        for (int file = 0; file < parsed.Length; file++)
        {
            foreach (var span in parsed[file].Spans.Where(s => s.DiagnosticId is not null))
                expectedLines.Add($"{span.DiagnosticId} Source{file}.cs {span.Span}");
        }
        foreach (var e in expected)
        {
            var (file, span) = Locate(parsed, e.Location);
            expectedLines.Add($"{e.Id} Source{file}.cs {span.Span}");
        }

        var actual = run.PoolDiagnostics.Where(d => ignore?.Invoke(d) != true).ToList();
        var actualLines = actual.Select(d => $"{d.Id} {Path.GetFileName(d.Location.SourceTree?.FilePath)} {d.Location.SourceSpan}").ToList();
        Assert.True(expectedLines.Order().SequenceEqual(actualLines.Order()),
            $"Expected:\n  {string.Join("\n  ", expectedLines.Order())}\nActual:\n  {string.Join("\n  ", actual.Select(Describe))}");

        foreach (var e in expected)
        {
            var (file, span) = Locate(parsed, e.Location);
            var diagnostic = actual.Single(d => d.Id == e.Id && d.Location.SourceSpan == span.Span && d.Location.SourceTree!.FilePath == $"Source{file}.cs");
            string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var fragment in e.MessageContains)
                Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"The message of {e.Id} lacks \"{fragment}\":\n{message}");
        }
    }

    /// <summary>Generates, then analyzes; sources are named Source0.cs, Source1.cs, ….</summary>
    public static Task<AnalysisRun> RunAsync(params string[] sources) => RunAsync(BuildSettings.Library, sources);

    public static async Task<AnalysisRun> RunAsync(BuildSettings settings, params string[] sources)
    {
        var compilation = CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, References.ParseOptions, path: $"Source{i}.cs")),
            References.Default,
            References.CompilationOptions.WithOutputKind(settings.OutputKind));
        return await RunAsync(compilation, settings.ToAnalyzerOptions());
    }

    public static async Task<AnalysisRun> RunAsync(Compilation compilation, AnalyzerOptions? options = null)
    {
        var driver = CSharpGeneratorDriver.Create([new PoolTaskGenerator().AsSourceGenerator()], parseOptions: References.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var generated = output.SyntaxTrees.Except(compilation.SyntaxTrees).ToImmutableArray();
        var diagnostics = await output.WithAnalyzers(Analyzers, options).GetAllDiagnosticsAsync();
        return new AnalysisRun(output, diagnostics, generated);
    }

    public static string Describe(Diagnostic d) =>
        $"{d.Id} {Path.GetFileName(d.Location.SourceTree?.FilePath)} {d.Location.SourceSpan}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    private static (int File, MarkedSpan Span) Locate((string Source, List<MarkedSpan> Spans)[] parsed, int index)
    {
        for (int file = 0; file < parsed.Length; file++)
            if (parsed[file].Spans.FirstOrDefault(s => s.LocationIndex == index) is { } span) return (file, span);
        throw new ArgumentException($"No {{|#{index}:…|}} in the test sources.");
    }
}
