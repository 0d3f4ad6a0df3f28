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
using Microsoft.CodeAnalysis.Operations;
using ProcPool.Generator.Analyzers;
using ProcPool.Generator.Diagnostics;

namespace ProcPool.CodeFixes;

/// <summary>
/// PP0001 "make the method static": offered only when the method uses no instance state (no <c>this</c>, explicit
/// or implicit, anywhere in its body, lambdas and local functions included), so the fix never changes behaviour.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeStaticCodeFix)), Shared]
public sealed class MakeStaticCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [PoolDiagnostics.InvalidTaskDeclarationId];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.ContainsKey(PoolTaskDeclarationAnalyzer.NotStaticProperty)) return;
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } declaration) return;
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null || UsesInstanceState(model, declaration, context.CancellationToken)) return;

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Make '{declaration.Identifier.Text}' static",
                ct => MakeStaticAsync(context.Document, declaration, ct),
                equivalenceKey: nameof(MakeStaticCodeFix)),
            diagnostic);
    }

    private static bool UsesInstanceState(SemanticModel model, MethodDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        SyntaxNode? body = (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody;
        if (body is null) return true; // abstract or partial without a body: nothing to make static
        var operation = model.GetOperation(body, cancellationToken);
        if (operation is null) return true;
        return operation.DescendantsAndSelf().OfType<IInstanceReferenceOperation>()
            .Any(r => r.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance);
    }

    private static async Task<Document> MakeStaticAsync(Document document, MethodDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        editor.ReplaceNode(declaration, generator.WithModifiers(declaration, generator.GetModifiers(declaration).WithIsStatic(true)));
        return editor.GetChangedDocument();
    }
}
