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
using Microsoft.CodeAnalysis.Formatting;
using ProcPool.Generator.Diagnostics;

namespace ProcPool.CodeFixes;

/// <summary>
/// PP0011 "hand worker command lines to WorkerEntryPoint.TryRun": puts the call first in the application's entry point
/// (top-level statements or a classic <c>Main</c>), written so that it compiles whatever <c>Main</c> returns.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CallTryRunInMainCodeFix)), Shared]
public sealed class CallTryRunInMainCodeFix : CodeFixProvider
{
    public const string Title = "Let the application be its own worker (call WorkerEntryPoint.TryRun first in Main)";

    private const string ExitCodeName = "workerExitCode";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [PoolDiagnostics.NativeAppIsNotItsOwnWorkerId];

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null; // one entry point: one fix serves every diagnostic

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        if (compilation?.GetEntryPoint(context.CancellationToken) is not { } main) return;
        if (main.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference) return;
        var document = context.Document.Project.Solution.GetDocument(reference.SyntaxTree);
        if (document is null) return;
        context.RegisterCodeFix(
            CodeAction.Create(Title, ct => AddCallAsync(document, main, reference, ct), equivalenceKey: nameof(CallTryRunInMainCodeFix)),
            context.Diagnostics);
    }

    private static async Task<Solution> AddCallAsync(Document document, IMethodSymbol main, SyntaxReference reference, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var declaration = await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
        CompilationUnitSyntax changed = declaration switch
        {
            CompilationUnitSyntax => AddToTopLevelStatements(root),
            MethodDeclarationSyntax method => root.ReplaceNode(method, AddToMain(method, main, EndOfLine(root))),
            _ => root,
        };
        return document.WithSyntaxRoot(changed).Project.Solution;
    }

    /// <summary>
    /// Top-level statements return an int once one of them does: if none returns a value, the call's <c>return</c>
    /// needs a <c>return 0;</c> at the end; if one returns nothing, the call exits instead.
    /// </summary>
    private static CompilationUnitSyntax AddToTopLevelStatements(CompilationUnitSyntax root)
    {
        var globals = root.Members.OfType<GlobalStatementSyntax>().ToList();
        if (globals.Count == 0) return root;
        var returns = globals.SelectMany(g => g.DescendantNodesAndSelf(n => n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)))
            .OfType<ReturnStatementSyntax>().ToList();
        bool returnsNothing = returns.Any(r => r.Expression is null);
        bool returnsValue = returns.Any(r => r.Expression is not null);

        var endOfLine = EndOfLine(root);
        var call = Statement(returnsNothing ? ExitStatement("args") : ReturnStatement("args"), endOfLine);
        var first = globals[0];
        var last = globals[globals.Count - 1];
        var members = root.Members.ToList();
        if (!returnsNothing && !returnsValue)
        {
            // The last statement may end without a line break (end of file).
            var lastWithBreak = last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? last : last.WithTrailingTrivia(last.GetTrailingTrivia().Add(endOfLine));
            members[members.IndexOf(last)] = lastWithBreak;
            members.Insert(members.IndexOf(lastWithBreak) + 1, SyntaxFactory.GlobalStatement(Statement("return 0;", endOfLine)));
        }
        // The call takes the first statement's place, with its comments; the statement follows on the next line.
        int at = members.IndexOf(first);
        members[at] = first.WithLeadingTrivia(SyntaxTriviaList.Empty);
        members.Insert(at, SyntaxFactory.GlobalStatement(call).WithLeadingTrivia(first.GetLeadingTrivia()));
        return root.WithMembers(SyntaxFactory.List(members));
    }

    private static MethodDeclarationSyntax AddToMain(MethodDeclarationSyntax method, IMethodSymbol main, SyntaxTrivia endOfLine)
    {
        string args = main.Parameters.Length > 0 ? main.Parameters[0].Name : "System.Environment.GetCommandLineArgs()[1..]";
        var returnType = main.ReturnType as INamedTypeSymbol;
        bool returnsInt = main.ReturnType.SpecialType == SpecialType.System_Int32
            || (returnType is { IsGenericType: true } && returnType.TypeArguments[0].SpecialType == SpecialType.System_Int32);
        var call = Statement(returnsInt ? ReturnStatement(args) : ExitStatement(args), endOfLine);
        if (method.Body is { } body)
            return method.WithBody(body.WithStatements(body.Statements.Insert(0, call.WithAdditionalAnnotations(Formatter.Annotation))));
        if (method.ExpressionBody is { } arrow)
        {
            // Main => expression; becomes a block that runs the call, then the expression.
            StatementSyntax rest = main.ReturnsVoid ? SyntaxFactory.ExpressionStatement(arrow.Expression) : SyntaxFactory.ReturnStatement(arrow.Expression);
            return method.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(SyntaxFactory.Block(call, rest).WithAdditionalAnnotations(Formatter.Annotation));
        }
        return method;
    }

    /// <summary>For a Main that returns an int: the worker's exit code is Main's.</summary>
    private static string ReturnStatement(string args) =>
        $"if (ProcPool.Hosting.WorkerEntryPoint.TryRun({args}, out int {ExitCodeName})) return {ExitCodeName};";

    /// <summary>For a Main that returns nothing: the worker's exit code goes to <c>Environment.ExitCode</c>.</summary>
    private static string ExitStatement(string args) =>
        $"if (ProcPool.Hosting.WorkerEntryPoint.TryRun({args}, out int {ExitCodeName})) {{ System.Environment.ExitCode = {ExitCodeName}; return; }}";

    private static StatementSyntax Statement(string text, SyntaxTrivia endOfLine) =>
        SyntaxFactory.ParseStatement(text).WithTrailingTrivia(endOfLine);

    /// <summary>The file's own line ending, so the inserted lines match the rest.</summary>
    private static SyntaxTrivia EndOfLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } found
            ? found
            : SyntaxFactory.CarriageReturnLineFeed;
}
