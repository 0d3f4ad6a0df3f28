using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// PP0007: another task or initializer whose generated code would have the same name as this one's. The generator
/// skips both (the compiler would reject the duplicate) and the analyzer reports both, from this one rule.
/// </summary>
internal static class GeneratedNameClash
{
    /// <summary>Beyond this many <c>_</c>-separated parts, a type path is not searched for look-alikes (2^n lookups).</summary>
    private const int MaxPathParts = 8;

    /// <summary>The first method that clashes with <paramref name="method"/>, and the generated name they share; null if none.</summary>
    public static (IMethodSymbol Other, string Name)? Find(IMethodSymbol method, bool isInitializer)
    {
        var type = method.ContainingType;
        foreach (string memberName in type.MemberNames)
        {
            if (!CouldClash(method.Name, memberName)) continue;
            foreach (var other in type.GetMembers(memberName).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(other, method)) continue;
                if (Compare(method, isInitializer, other) is { } name) return (other, name);
            }
        }

        // Outer.Inner and a top-level Outer_Inner share the extensions class Outer_InnerPoolExtensions and the
        // descriptor prefix, so any task in a look-alike type clashes.
        foreach (var lookAlike in LookAlikeTypes(type))
            foreach (var other in lookAlike.GetMembers().OfType<IMethodSymbol>())
                if (TaskNames.HasAttribute(other, KnownTypes.PoolTaskAttribute) || TaskNames.HasAttribute(other, KnownTypes.PoolInitializerAttribute))
                    return (other, $"the class {TaskNames.ExtensionsClassName(type)} and descriptors named {TaskNames.TypePath(type)}_*");
        return null;
    }

    /// <summary>Names that can give the same stub (<c>Run</c>/<c>RunAsync</c>) or file (<c>Run</c>/<c>run</c>, files ignore case).</summary>
    private static bool CouldClash(string name, string other) =>
        string.Equals(name, other, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name + "Async", other, StringComparison.Ordinal)
        || string.Equals(name, other + "Async", StringComparison.Ordinal);

    private static string? Compare(IMethodSymbol method, bool isInitializer, IMethodSymbol other)
    {
        foreach (bool otherIsInitializer in new[] { false, true })
        {
            if (!TaskNames.HasAttribute(other, TaskNames.Attribute(otherIsInitializer))) continue;
            string descriptor = TaskNames.DescriptorName(method, isInitializer);
            if (descriptor == TaskNames.DescriptorName(other, otherIsInitializer)) return $"the descriptor class {descriptor}";
            string hint = TaskNames.HintName(method, isInitializer);
            if (string.Equals(hint, TaskNames.HintName(other, otherIsInitializer), StringComparison.OrdinalIgnoreCase))
                return $"the file {hint}";
            if (!isInitializer && !otherIsInitializer
                && TaskNames.StubName(method) == TaskNames.StubName(other)
                && StubParameters(method).SequenceEqual(StubParameters(other)))
                return $"the stub {TaskNames.ExtensionsClassName(method.ContainingType)}.{TaskNames.StubName(method)}";
        }
        return null;
    }

    /// <summary>The stub's parameter types after <c>this WorkerPool</c>: the task's, plus a token if it has none.</summary>
    private static List<string> StubParameters(IMethodSymbol method)
    {
        var types = method.Parameters.Select(p => p.Type.ToDisplayString(KnownTypes.SignatureFormat)).ToList();
        if (!method.Parameters.Any(p => KnownTypes.IsCancellationToken(p.Type))) types.Add("System.Threading.CancellationToken");
        return types;
    }

    /// <summary>Other types of the same namespace whose <c>_</c>-joined path equals this type's.</summary>
    private static IEnumerable<INamedTypeSymbol> LookAlikeTypes(INamedTypeSymbol type)
    {
        string path = TaskNames.TypePath(type);
        string[] parts = path.Split('_');
        if (parts.Length == 1 || parts.Length > MaxPathParts) yield break;
        INamespaceOrTypeSymbol root = TaskNames.ContainingChain(type).First().ContainingNamespace;
        foreach (var names in Groupings(parts, 0))
        {
            INamespaceOrTypeSymbol? current = root;
            foreach (string name in names)
            {
                current = current?.GetTypeMembers(name).FirstOrDefault();
                if (current is null) break;
            }
            if (current is INamedTypeSymbol candidate && !SymbolEqualityComparer.Default.Equals(candidate, type))
                yield return candidate;
        }
    }

    /// <summary>Every way to join consecutive parts with <c>_</c> into a chain of names: a_b_c → [a_b_c], [a, b_c], [a_b, c], [a, b, c].</summary>
    private static IEnumerable<List<string>> Groupings(string[] parts, int start)
    {
        for (int end = start + 1; end <= parts.Length; end++)
        {
            string head = string.Join("_", parts, start, end - start);
            if (end == parts.Length)
            {
                yield return [head];
                continue;
            }
            foreach (var rest in Groupings(parts, end))
            {
                rest.Insert(0, head);
                yield return rest;
            }
        }
    }
}
