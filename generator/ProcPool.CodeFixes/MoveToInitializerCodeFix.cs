using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using ProcPool.Generator.Analyzers;
using ProcPool.Generator.Diagnostics;
using ProcPool.Generator.Parsing;

namespace ProcPool.CodeFixes;

/// <summary>
/// PP0002 "move this parameter into a [PoolInitializer]": the parameter becomes per-worker state, a static field
/// that an initializer sets once in every worker; the task reads the field, and the argument disappears from the
/// calls in this document.
/// </summary>
/// <remarks>
/// Every PP0002 type is one that can never cross, so the initializer cannot take it as an argument either (that
/// would be PP0002 again). The initializer creates it in the worker instead: <c>new Lock()</c> when the type has a
/// public parameterless constructor, otherwise a body that throws <see cref="System.NotImplementedException"/>
/// with the catalogue's advice (open the file, the connection… from what identifies it), so the gap is loud,
/// not silent. Offered for locks, OS resources and process state, where per-worker state is the right answer;
/// not for code, pending tasks, cancellation or pointers, whose advice is different.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveToInitializerCodeFix)), Shared]
public sealed class MoveToInitializerCodeFix : CodeFixProvider
{
    private static readonly ImmutableHashSet<string> Categories =
    [
        nameof(UnpicklableCategory.Lock), nameof(UnpicklableCategory.Resource), nameof(UnpicklableCategory.ProcessState),
    ];

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [PoolDiagnostics.ParameterCannotCrossId];

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(TypeVerdict.CategoryProperty, out var category) || category is null || !Categories.Contains(category)) return;
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<ParameterSyntax>() is not { Parent.Parent: MethodDeclarationSyntax } parameter) return;

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Move '{parameter.Identifier.Text}' into a [PoolInitializer] method",
                ct => MoveAsync(context.Document, parameter, ct),
                equivalenceKey: nameof(MoveToInitializerCodeFix)),
            diagnostic);
    }

    private static async Task<Document> MoveAsync(Document document, ParameterSyntax parameter, CancellationToken cancellationToken)
    {
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var method = (MethodDeclarationSyntax)parameter.Parent!.Parent!;
        if (model.GetDeclaredSymbol(parameter, cancellationToken) is not { } parameterSymbol
            || model.GetDeclaredSymbol(method, cancellationToken) is not { } task) return document;

        var containingType = task.ContainingType;
        string field = UniqueName(containingType, "s_" + parameterSymbol.Name);
        string initializer = UniqueName(containingType, "Initialize" + char.ToUpperInvariant(parameterSymbol.Name[0]) + parameterSymbol.Name.Substring(1));

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            if (CallSites.ArgumentFor(model, invocation, task, parameterSymbol, cancellationToken) is { } argument)
                editor.RemoveNode(argument);
        foreach (var use in method.DescendantNodes().OfType<IdentifierNameSyntax>())
            if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use, cancellationToken).Symbol, parameterSymbol))
                editor.ReplaceNode(use, SyntaxFactory.IdentifierName(field).WithTriviaFrom(use));
        editor.RemoveNode(parameter);
        string newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
        editor.InsertBefore(method, PerWorkerState(parameterSymbol.Type, parameter.Type!.ToString(), field, initializer, Accessibility(method), newLine));

        var changed = (CompilationUnitSyntax)editor.GetChangedRoot();
        return document.WithSyntaxRoot(UsingDirectives.EnsureProcPool(changed));
    }

    /// <summary>The static field and the initializer that fills it, as the user would write them.</summary>
    private static SyntaxNode[] PerWorkerState(ITypeSymbol type, string typeText, string field, string initializer, string access, string newLine)
    {
        string shortName = UnpicklableCatalogue.ShortName(type);
        string fieldInitializer = type.IsReferenceType ? " = null!" : "";
        string body = CanCreate(type)
            ? $"{field} = new {typeText}();"
            : $"throw new System.NotImplementedException(\"Create this worker's {shortName} here: {Escape(UnpicklableCatalogue.Find(type)?.Advice ?? "open it from what identifies it")}.\");";
        string text = $$"""
            class Holder
            {
                /// <summary>This worker's {{shortName}}: set once per worker by {{initializer}}, before its first task.</summary>
                private static {{typeText}} {{field}}{{fieldInitializer}};

                /// <summary>Creates this worker's {{shortName}}. Pass it to the pool as its initializer, so every worker runs it before its first task.</summary>
                [PoolInitializer]
                {{access}} static void {{initializer}}()
                {
                    {{body}}
                }
            }
            """;
        var holder = (ClassDeclarationSyntax)SyntaxFactory.ParseCompilationUnit(text.Replace("\n", newLine)).Members[0];
        var members = holder.Members.Select(m => m.WithAdditionalAnnotations(Formatter.Annotation)).ToArray();
        // A blank line between the new initializer and the task that follows it.
        members[members.Length - 1] = members[members.Length - 1].WithTrailingTrivia(
            members[members.Length - 1].GetTrailingTrivia().Add(SyntaxFactory.EndOfLine(newLine)));
        return members;
    }

    private static bool CanCreate(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsAbstract: false, TypeKind: TypeKind.Class or TypeKind.Struct } named
        && (named.TypeKind == TypeKind.Struct
            || named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public));

    private static string Accessibility(MethodDeclarationSyntax method) =>
        method.Modifiers.Any(SyntaxKind.PublicKeyword) ? "public" : "internal";

    private static string UniqueName(INamedTypeSymbol type, string name)
    {
        string candidate = name;
        for (int i = 2; type.GetMembers(candidate).Length > 0; i++) candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
