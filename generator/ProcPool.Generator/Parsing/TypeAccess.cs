using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// Whether generated code in the task's assembly can name a type or use a member: public, or internal when the
/// assembly is the same one (or is given access through InternalsVisibleTo). Without an assembly to check against,
/// internal counts as reachable.
/// </summary>
internal static class TypeAccess
{
    public static bool IsAccessible(ISymbol symbol, IAssemblySymbol? within) => symbol.DeclaredAccessibility switch
    {
        Accessibility.Public => true,
        Accessibility.Internal or Accessibility.ProtectedOrInternal =>
            within is null
            || SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, within)
            || symbol.ContainingAssembly?.GivesAccessTo(within) == true,
        _ => false,
    };

    /// <summary>The type and every type it is nested in are accessible; returns the first that is not, or null.</summary>
    public static INamedTypeSymbol? FindUnreachable(INamedTypeSymbol type, IAssemblySymbol? within)
    {
        for (var current = type; current is not null; current = current.ContainingType)
            if (!IsAccessible(current, within)) return current;
        return null;
    }

    public static string Describe(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.Internal => "internal",
        _ => accessibility.ToString().ToLowerInvariant(),
    };
}
