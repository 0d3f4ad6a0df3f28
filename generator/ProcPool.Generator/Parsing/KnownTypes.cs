using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>Recognizes framework types by namespace, name and arity (no <c>GetTypeByMetadataName</c>, which is slow and ambiguous across references).</summary>
internal static class KnownTypes
{
    public const string PoolTaskAttribute = "ProcPool.PoolTaskAttribute";
    public const string PoolInitializerAttribute = "ProcPool.PoolInitializerAttribute";

    /// <summary>Fully qualified names, with <c>global::</c>, special types as keywords, and <c>?</c> on nullable reference types.</summary>
    public static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>For signatures (task ids): fully qualified, no <c>global::</c>, no nullability (it does not change the wire).</summary>
    public static readonly SymbolDisplayFormat SignatureFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    public static bool Is(ITypeSymbol? type, string containingNamespace, string name, int arity = 0) =>
        type is INamedTypeSymbol named
        && named.Name == name
        && named.Arity == arity
        && named.ContainingType is null
        && named.ContainingNamespace?.ToDisplayString() == containingNamespace;

    public static bool IsCancellationToken(ITypeSymbol type) => Is(type, "System.Threading", "CancellationToken");

    public static string NameOf(ITypeSymbol type) => type.ToDisplayString(TypeNameFormat);
}
