using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ProcPool.CodeFixes;

/// <summary>Adds <c>using ProcPool;</c> to a file that uses the attributes by their short names.</summary>
internal static class UsingDirectives
{
    public static CompilationUnitSyntax EnsureProcPool(CompilationUnitSyntax root)
    {
        if (root.Usings.Any(u => u.Name?.ToString() == "ProcPool")) return root;
        if (root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.ToString() is "ProcPool" || n.Name.ToString().StartsWith("ProcPool.", System.StringComparison.Ordinal)))
            return root;
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName("ProcPool"))
            .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        return root.AddUsings(directive);
    }
}
