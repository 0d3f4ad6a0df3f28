using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using ProcPool.Generator.Analyzers;
using ProcPool.Generator.Diagnostics;

namespace ProcPool.CodeFixes;

/// <summary>
/// PP0008 "add [PoolTask] to the method": offered when a plain static method of this solution is passed to the
/// pool. The attribute goes on the method's declaration, wherever it is; <c>using ProcPool;</c> is added there if
/// missing. (A lambda or local function gets no fix: its body must move, and only the user knows where.)
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPoolTaskAttributeCodeFix)), Shared]
public sealed class AddPoolTaskAttributeCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [PoolDiagnostics.NotAPoolTaskId];

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null; // each fix edits a declaration elsewhere; one at a time

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(PoolCallAnalyzer.MissingAttributeProperty, out var attribute) || attribute is null) return;
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var info = model.GetSymbolInfo(node, context.CancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol method) return;
        method = method.OriginalDefinition;
        if (!method.IsStatic || method.MethodKind != MethodKind.Ordinary) return;
        if (method.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference) return;
        var declaringDocument = context.Document.Project.Solution.GetDocument(reference.SyntaxTree);
        if (declaringDocument is null) return;

        string shortName = attribute.Substring("ProcPool.".Length, attribute.Length - "ProcPool.".Length - "Attribute".Length);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Add [{shortName}] to '{method.ContainingType.Name}.{method.Name}'",
                ct => AddAttributeAsync(declaringDocument, reference, shortName, ct),
                equivalenceKey: nameof(AddPoolTaskAttributeCodeFix) + shortName),
            diagnostic);
    }

    private static async Task<Solution> AddAttributeAsync(Document document, SyntaxReference reference, string attribute, CancellationToken cancellationToken)
    {
        if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not MethodDeclarationSyntax declaration)
            return document.Project.Solution;
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var withAttribute = editor.Generator.AddAttributes(declaration, editor.Generator.Attribute(attribute));
        editor.ReplaceNode(declaration, withAttribute.WithAdditionalAnnotations(Formatter.Annotation));
        var root = (CompilationUnitSyntax)editor.GetChangedRoot();
        return document.WithSyntaxRoot(UsingDirectives.EnsureProcPool(root)).Project.Solution;
    }
}
