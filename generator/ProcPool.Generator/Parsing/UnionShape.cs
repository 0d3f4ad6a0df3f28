using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>The cases of an abstract class or interface marked <c>[PoolUnion(typeof(A), typeof(B), …)]</c>, in tag order, or what is wrong with them.</summary>
internal sealed class UnionShape
{
    public const string AttributeName = "ProcPool.PoolUnionAttribute";
    private const int MaxCases = 255;

    private UnionShape(IReadOnlyList<INamedTypeSymbol> cases, string? problem)
    {
        Cases = cases;
        Problem = problem;
    }

    public IReadOnlyList<INamedTypeSymbol> Cases { get; }

    public string? Problem { get; }

    /// <summary>The union the type declares, or null when it has no <c>[PoolUnion]</c>.</summary>
    public static UnionShape? Find(INamedTypeSymbol type)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == AttributeName);
        if (attribute is null) return null;
        string display = CodecNames.Display(type);
        if (type.TypeKind != TypeKind.Interface && !type.IsAbstract)
            return Fail($"[PoolUnion] on {display}: it belongs on an abstract class or an interface, whose values are one of its cases");
        var values = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? attribute.ConstructorArguments[0].Values
            : attribute.ConstructorArguments;
        if (values.Length == 0) return Fail($"[PoolUnion] on {display} lists no cases");
        if (values.Length > MaxCases) return Fail($"[PoolUnion] on {display} lists {values.Length} cases; at most {MaxCases} fit the one-byte tag");

        var cases = new List<INamedTypeSymbol>();
        foreach (var value in values)
        {
            if (value.Value is not INamedTypeSymbol caseType || caseType.IsUnboundGenericType || caseType.TypeKind == TypeKind.Error)
                return Fail($"[PoolUnion] on {display} lists {value.Value?.ToString() ?? "null"}, which is not a concrete type");
            string caseDisplay = CodecNames.Display(caseType);
            if (caseType.IsAbstract || caseType.TypeKind == TypeKind.Interface)
                return Fail($"[PoolUnion] on {display} lists {caseDisplay}, which is abstract; list the concrete types");
            if (!Extends(caseType, type))
                return Fail($"[PoolUnion] on {display} lists {caseDisplay}, which is not a {display}");
            if (cases.Any(c => SymbolEqualityComparer.Default.Equals(c, caseType)))
                return Fail($"[PoolUnion] on {display} lists {caseDisplay} twice");
            cases.Add(caseType);
        }
        return new UnionShape(cases, null);
    }

    private static UnionShape Fail(string problem) => new([], problem);

    private static bool Extends(INamedTypeSymbol caseType, INamedTypeSymbol union)
    {
        if (union.TypeKind == TypeKind.Interface)
            return caseType.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, union));
        for (var current = caseType.BaseType; current is not null; current = current.BaseType)
            if (SymbolEqualityComparer.Default.Equals(current, union)) return true;
        return false;
    }
}
