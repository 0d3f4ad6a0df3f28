using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>The framework collections the codec knows, each written by a runtime codec over its element codecs.</summary>
internal enum CollectionKind
{
    List,
    HashSet,
    Queue,
    Stack,
    Dictionary,
    SortedDictionary,
    ImmutableArray,
    ImmutableList,
    ImmutableDictionary,
    Memory,
    ReadOnlyMemory,

    /// <summary>A sequence interface, materialized as a <c>List&lt;T&gt;</c>.</summary>
    Sequence,

    /// <summary>A dictionary interface, materialized as a <c>Dictionary&lt;TKey, TValue&gt;</c>.</summary>
    Map,

    /// <summary>A set interface, materialized as a <c>HashSet&lt;T&gt;</c>.</summary>
    Set,
}

internal static class CollectionShapes
{
    private const string Generic = "System.Collections.Generic";
    private const string Immutable = "System.Collections.Immutable";

    public static CollectionKind? Match(INamedTypeSymbol type)
    {
        if (type.ContainingType is not null || type.Arity == 0) return null;
        return (type.ContainingNamespace?.ToDisplayString(), type.Name, type.Arity) switch
        {
            (Generic, "List", 1) => CollectionKind.List,
            (Generic, "HashSet", 1) => CollectionKind.HashSet,
            (Generic, "Queue", 1) => CollectionKind.Queue,
            (Generic, "Stack", 1) => CollectionKind.Stack,
            (Generic, "Dictionary", 2) => CollectionKind.Dictionary,
            (Generic, "SortedDictionary", 2) => CollectionKind.SortedDictionary,
            (Immutable, "ImmutableArray", 1) => CollectionKind.ImmutableArray,
            (Immutable, "ImmutableList", 1) => CollectionKind.ImmutableList,
            (Immutable, "ImmutableDictionary", 2) => CollectionKind.ImmutableDictionary,
            ("System", "Memory", 1) => CollectionKind.Memory,
            ("System", "ReadOnlyMemory", 1) => CollectionKind.ReadOnlyMemory,
            (Generic, "IEnumerable" or "IReadOnlyList" or "IList" or "ICollection" or "IReadOnlyCollection", 1) => CollectionKind.Sequence,
            (Generic, "IDictionary" or "IReadOnlyDictionary", 2) => CollectionKind.Map,
            (Generic, "ISet" or "IReadOnlySet", 1) => CollectionKind.Set,
            _ => null,
        };
    }
}
