using Microsoft.CodeAnalysis.CSharp;

namespace ProcPool.Generator.Parsing;

/// <summary>Names as generated code must spell them.</summary>
internal static class Identifiers
{
    /// <summary>The name, with <c>@</c> in front if it is a keyword (or <c>await</c>, which is one inside async methods).</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;
}
