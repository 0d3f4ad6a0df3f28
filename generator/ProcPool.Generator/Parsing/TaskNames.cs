using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// The names the generator gives a task's code: the stub, the extensions class that holds it, the descriptor class
/// and the generated file. One place, so the generator that emits them and the PP0007 check that compares them use
/// the same rules.
/// </summary>
internal static class TaskNames
{
    public static string Kind(bool isInitializer) => isInitializer ? "PoolInitializer" : "PoolTask";

    public static string Attribute(bool isInitializer) => isInitializer ? KnownTypes.PoolInitializerAttribute : KnownTypes.PoolTaskAttribute;

    /// <summary>The type as written in C#, from the outermost type: <c>Outer.Tasks</c>.</summary>
    public static string TypeDisplay(INamedTypeSymbol type) => string.Join(".", ContainingChain(type).Select(t => t.Name));

    /// <summary>The type's path as one identifier: <c>Outer_Tasks</c>.</summary>
    public static string TypePath(INamedTypeSymbol type) => TypeDisplay(type).Replace('.', '_');

    public static string? Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;

    public static string ExtensionsClassName(INamedTypeSymbol type) => TypePath(type) + "PoolExtensions";

    public static string StubName(IMethodSymbol method) =>
        method.Name.EndsWith("Async", System.StringComparison.Ordinal) ? method.Name : method.Name + "Async";

    /// <summary>
    /// The descriptor class, in the assembly's one internal namespace, so it carries the task's namespace too:
    /// two <c>Tasks</c> classes in different namespaces must not clash.
    /// </summary>
    public static string DescriptorName(IMethodSymbol method, bool isInitializer)
    {
        string? ns = Namespace(method.ContainingType);
        string prefix = ns is null ? "" : ns.Replace('.', '_') + "_";
        return $"{prefix}{TypePath(method.ContainingType)}_{method.Name}{OverloadSuffix(method, isInitializer)}_{Kind(isInitializer)}";
    }

    public static string HintName(IMethodSymbol method, bool isInitializer)
    {
        string? ns = Namespace(method.ContainingType);
        return $"{(ns is null ? "" : ns + ".")}{TypeDisplay(method.ContainingType)}.{method.Name}{OverloadSuffix(method, isInitializer)}.{Kind(isInitializer)}.g.cs";
    }

    /// <summary>For overloaded tasks, the parameter types (<c>_Int32</c>), so each overload gets its own descriptor and file.</summary>
    public static string OverloadSuffix(IMethodSymbol method, bool isInitializer) =>
        IsOverloaded(method, Attribute(isInitializer)) ? "_" + string.Join("_", method.Parameters.Select(p => ShortName(p.Type))) : "";

    public static bool HasAttribute(IMethodSymbol method, string attribute)
    {
        foreach (var data in method.GetAttributes())
            if (data.AttributeClass?.ToDisplayString() == attribute) return true;
        return false;
    }

    public static IEnumerable<INamedTypeSymbol> ContainingChain(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (var t = type; t is not null; t = t.ContainingType) chain.Push(t);
        return chain;
    }

    private static bool IsOverloaded(IMethodSymbol method, string attribute) =>
        method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(m => HasAttribute(m, attribute)) > 1;

    private static string ShortName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => ShortName(array.ElementType) + "Array",
        INamedTypeSymbol { IsGenericType: true } generic => generic.Name + string.Concat(generic.TypeArguments.Select(ShortName)),
        _ => type.Name,
    };
}
