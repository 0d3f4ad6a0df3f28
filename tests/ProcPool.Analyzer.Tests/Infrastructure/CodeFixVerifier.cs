using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>
/// Applies a code fix the way the IDE does: the sources go into an <see cref="AdhocWorkspace"/> project, the real
/// analyzers produce the diagnostic, the fix registers its action, and the action's operations change the solution.
/// </summary>
internal static class CodeFixVerifier
{
    /// <summary>The fix's actions for the first <paramref name="diagnosticId"/> diagnostic (in source order).</summary>
    public static Task<(Solution Solution, ImmutableArray<CodeAction> Actions)> ActionsAsync(CodeFixProvider fix, string diagnosticId, params string[] sources) =>
        ActionsAsync(fix, diagnosticId, BuildSettings.Library, sources);

    public static async Task<(Solution Solution, ImmutableArray<CodeAction> Actions)> ActionsAsync(CodeFixProvider fix, string diagnosticId, BuildSettings settings, params string[] sources)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Create(), "TestAssembly", "TestAssembly", LanguageNames.CSharp,
            compilationOptions: References.CompilationOptions.WithOutputKind(settings.OutputKind), parseOptions: References.ParseOptions, metadataReferences: References.Default));
        for (int i = 0; i < sources.Length; i++)
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Source{i}.cs", SourceText.From(sources[i]), filePath: $"Source{i}.cs");

        var compilation = (await solution.GetProject(projectId)!.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(AnalyzerVerifier.Analyzers, settings.ToAnalyzerOptions()).GetAnalyzerDiagnosticsAsync();
        var target = diagnostics
            .Where(d => d.Id == diagnosticId)
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .FirstOrDefault();
        Assert.True(target is not null, $"No {diagnosticId} to fix; the analyzers reported: {string.Join("; ", diagnostics.Select(AnalyzerVerifier.Describe))}");

        var document = solution.GetDocument(target.Location.SourceTree)!;
        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, target, (action, _) => actions.Add(action), CancellationToken.None));
        return (solution, actions.ToImmutable());
    }

    /// <summary>Applies the single action the fix offers and returns every document's text afterwards.</summary>
    public static Task<string[]> ApplyAsync(CodeFixProvider fix, string diagnosticId, string expectedTitle, params string[] sources) =>
        ApplyAsync(fix, diagnosticId, expectedTitle, BuildSettings.Library, sources);

    public static async Task<string[]> ApplyAsync(CodeFixProvider fix, string diagnosticId, string expectedTitle, BuildSettings settings, params string[] sources)
    {
        var (solution, actions) = await ActionsAsync(fix, diagnosticId, settings, sources);
        var action = Assert.Single(actions);
        Assert.Equal(expectedTitle, action.Title);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        var texts = new List<string>();
        foreach (var id in solution.Projects.Single().DocumentIds)
            texts.Add((await changed.GetDocument(id)!.GetTextAsync()).ToString());
        return [.. texts];
    }

    public static void AssertSameText(string expected, string actual) =>
        Assert.True(Normalize(expected) == Normalize(actual), $"Expected:\n{expected}\n\nActual:\n{actual}");

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd();
}
