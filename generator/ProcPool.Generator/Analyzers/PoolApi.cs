using System;
using Microsoft.CodeAnalysis;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator.Analyzers;

/// <summary>
/// Recognizes the calls that send work to a worker: any member of a runtime type in the <c>ProcPool</c> namespace (or
/// below), so <c>ApplyAsync</c> and every future <c>Map</c>/<c>StarMap</c>/initializer overload is covered without
/// a list, and the typed stubs the generator emits.
/// </summary>
internal static class PoolApi
{
    /// <summary>
    /// A member of the ProcPool runtime (<paramref name="runtime"/>, the assembly that defines <c>WorkerPool</c>) in the
    /// ProcPool namespace; user code that happens to live in a <c>ProcPool.*</c> namespace is not the pool's API, and
    /// neither are the runtime's internals (which its own tests reach, and whose delegates run in this process).
    /// </summary>
    public static bool IsPoolMember(ISymbol member, IAssemblySymbol runtime)
    {
        var type = member.ContainingType;
        if (type is null || !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, runtime)) return false;
        if (!IsVisibleOutsideRuntime(member)) return false;
        while (type.ContainingType is not null) type = type.ContainingType;
        return IsProcPoolNamespace(type.ContainingNamespace);
    }

    /// <summary>A generated stub: an extension of <c>WorkerPool</c> marked <c>[GeneratedCode("ProcPool.Generator", …)]</c>.</summary>
    public static bool IsGeneratedStub(IMethodSymbol method)
    {
        if (!method.IsExtensionMethod || method.Parameters.Length == 0) return false;
        if (!KnownTypes.Is(method.Parameters[0].Type, "ProcPool", "WorkerPool")) return false;
        foreach (var attribute in method.GetAttributes())
            if (KnownTypes.Is(attribute.AttributeClass, "System.CodeDom.Compiler", "GeneratedCodeAttribute")
                && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value as string == "ProcPool.Generator")
                return true;
        return false;
    }

    /// <summary>
    /// The attribute a method passed to this parameter needs: <c>[PoolInitializer]</c> for an initializer API (the
    /// member or parameter says "initializer"), else <c>[PoolTask]</c>; null for a callback, which runs in this process.
    /// </summary>
    public static string? RequiredAttribute(string memberName, string parameterName)
    {
        if (Contains(parameterName, "callback") || Contains(memberName, "callback")) return null;
        return Contains(memberName, "initializer") || Contains(parameterName, "initializer")
            ? KnownTypes.PoolInitializerAttribute
            : KnownTypes.PoolTaskAttribute;
    }

    public static bool IsInitializerProperty(string propertyName) => Contains(propertyName, "initializer");

    /// <summary>
    /// A type the task's parameter declares but the value's real type decides: object, dynamic, an interface or an
    /// abstract class (not one the catalogue already rejects at the declaration).
    /// </summary>
    public static bool IsOpen(ITypeSymbol type) =>
        (type.SpecialType == SpecialType.System_Object
         || type.TypeKind is TypeKind.Dynamic or TypeKind.Interface
         || (type.TypeKind == TypeKind.Class && type.IsAbstract))
        && UnpicklableCatalogue.Find(type) is null;

    private static bool IsVisibleOutsideRuntime(ISymbol member)
    {
        for (ISymbol? symbol = member; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
            if (symbol.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                return false;
        return true;
    }

    private static bool IsProcPoolNamespace(INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace) return false;
        while (ns.ContainingNamespace is { IsGlobalNamespace: false } parent) ns = parent;
        return ns.Name == "ProcPool";
    }

    private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
}
