using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>One member of a user type that travels: what the TypeClassifier classifies, and how the reader sets it.</summary>
internal sealed record ShapeMember(string Name, ITypeSymbol Type, int ConstructorPosition, bool IsAssigned);

/// <summary>
/// Reads how a user class, record or struct (or a tuple) crosses: its data members (fields and properties generated
/// code can read) and the constructor the reader calls. A member travels if the reader can give it back: it matches a
/// parameter of that constructor (by name, ignoring case, and type: primary constructors and positional records), or
/// it can be set (a setter, <c>init</c>, <c>required</c>). Computed properties do not travel; they are recomputed.
/// </summary>
internal sealed class ObjectShape
{
    private ObjectShape(ObjectConstruction construction, IReadOnlyList<ShapeMember> members, string? problem)
    {
        Construction = construction;
        Members = members;
        Problem = problem;
    }

    public ObjectConstruction Construction { get; }

    public IReadOnlyList<ShapeMember> Members { get; }

    /// <summary>Why the type cannot be rebuilt on the other side, or null.</summary>
    public string? Problem { get; }

    public static ObjectShape Read(INamedTypeSymbol type, IAssemblySymbol? within)
    {
        var candidates = Candidates(type, within);
        if (IsValueTuple(type))
        {
            // Value tuples are mutable fields; their tuple syntax cannot follow `new`, so the reader assigns them.
            return new ObjectShape(ObjectConstruction.AssignFields,
                [.. candidates.Where(c => c.Symbol is IFieldSymbol).Select(c => new ShapeMember(c.Name, c.Type, -1, true))], null);
        }

        var constructor = ChooseConstructor(type, within, candidates, out var positions);
        string display = CodecNames.Display(type);
        if (constructor is null)
            return Fail(type.InstanceConstructors.Any(c => TypeAccess.IsAccessible(c, within))
                ? $"{display} has no constructor the codec can call: each parameter of one must match a field or property by name and type, or it needs a parameterless one"
                : $"{display} has no constructor generated code can call");

        bool setsRequired = constructor.GetAttributes().Any(a => a.AttributeClass is { Name: "SetsRequiredMembersAttribute" });
        if (!setsRequired && RequiredMembers(type).FirstOrDefault(r => !candidates.Any(c => c.Settable && c.Name == r.Name)) is { } unsettable)
            return Fail($"{display} requires {unsettable.Name}, which generated code cannot set");

        var members = new List<ShapeMember>();
        foreach (var candidate in candidates)
        {
            int position = positions.TryGetValue(candidate.Name, out int p) ? p : -1;
            if (position < 0 && !candidate.Settable) continue; // computed, or set by the type itself: recomputed on arrival
            bool assigned = candidate.Settable && (position < 0 || (candidate.Required && !setsRequired));
            members.Add(new ShapeMember(candidate.Name, candidate.Type, position, assigned));
        }
        return new ObjectShape(ObjectConstruction.Constructor, members, null);
    }

    private static ObjectShape Fail(string problem) => new(ObjectConstruction.Constructor, [], problem);

    private sealed record Candidate(ISymbol Symbol, string Name, ITypeSymbol Type, bool Settable, bool Required);

    /// <summary>Fields and properties generated code can read, base class first, each name once (the most derived wins).</summary>
    private static List<Candidate> Candidates(INamedTypeSymbol type, IAssemblySymbol? within)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            chain.Add(current);
        chain.Reverse();

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Candidate>();
        foreach (var declaring in chain)
        {
            foreach (var member in declaring.GetMembers())
            {
                if (ToCandidate(member, within) is not { } candidate) continue;
                if (byName.TryGetValue(candidate.Name, out int index)) result[index] = candidate;
                else
                {
                    byName[candidate.Name] = result.Count;
                    result.Add(candidate);
                }
            }
        }
        return result;
    }

    private static Candidate? ToCandidate(ISymbol member, IAssemblySymbol? within) => member switch
    {
        IFieldSymbol { IsStatic: false, IsConst: false, AssociatedSymbol: null } field when TypeAccess.IsAccessible(field, within) =>
            new Candidate(field, field.Name, field.Type, !field.IsReadOnly, field.IsRequired),
        IPropertySymbol { IsStatic: false, IsIndexer: false, RefKind: RefKind.None, ExplicitInterfaceImplementations.Length: 0, GetMethod: { } getter } property
            when TypeAccess.IsAccessible(property, within) && TypeAccess.IsAccessible(getter, within) =>
            new Candidate(property, property.Name, property.Type,
                property.SetMethod is { } setter && TypeAccess.IsAccessible(setter, within), property.IsRequired),
        _ => null,
    };

    private static IEnumerable<ISymbol> RequiredMembers(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
            foreach (var member in current.GetMembers())
                if (member is IFieldSymbol { IsRequired: true } or IPropertySymbol { IsRequired: true }) yield return member;
    }

    /// <summary>The callable constructor with the most parameters that all match members; the matched member names and their positions.</summary>
    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, IAssemblySymbol? within, List<Candidate> candidates, out Dictionary<string, int> positions)
    {
        IMethodSymbol? best = null;
        positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var constructor in type.InstanceConstructors)
        {
            if (!TypeAccess.IsAccessible(constructor, within) || IsCopyConstructor(constructor, type)) continue;
            if (best is not null && constructor.Parameters.Length <= best.Parameters.Length) continue;
            var matched = Match(constructor, candidates);
            if (matched is null) continue;
            best = constructor;
            positions = matched;
        }
        return best;
    }

    private static Dictionary<string, int>? Match(IMethodSymbol constructor, List<Candidate> candidates)
    {
        var matched = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var parameter in constructor.Parameters)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In)) return null;
            var candidate = candidates.FirstOrDefault(c =>
                !matched.ContainsKey(c.Name)
                && string.Equals(c.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
                && SymbolEqualityComparer.Default.Equals(c.Type, parameter.Type));
            if (candidate is null) return null;
            matched[candidate.Name] = parameter.Ordinal;
        }
        return matched;
    }

    private static bool IsCopyConstructor(IMethodSymbol constructor, INamedTypeSymbol type) =>
        constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

    private static bool IsValueTuple(INamedTypeSymbol type) =>
        type.IsValueType && type.Name == "ValueTuple" && type.ContainingNamespace?.ToDisplayString() == "System";
}
