using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>How codecs and their types are named in generated code and in messages.</summary>
internal static class CodecNames
{
    private const int MaxReadableLength = 48;

    /// <summary>
    /// The type as codec code spells it: fully qualified, without nullable reference annotations (they do not change
    /// the wire, and one codec serves <c>Order</c> and <c>Order?</c>).
    /// </summary>
    public static string TypeName(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Dynamic ? "object" : Unnamed(type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static readonly SymbolDisplayFormat DisplayFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The type as messages show it, without nullable reference annotations: <c>Order</c>, <c>List&lt;Order&gt;</c>.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(DisplayFormat);

    /// <summary>
    /// The name of the generated codec struct for a type: a readable part, then a hash of the full type name, so two
    /// types with the same simple name in different namespaces get different codecs.
    /// </summary>
    public static string CodecName(ITypeSymbol type)
    {
        string readable = Readable(type);
        if (readable.Length > MaxReadableLength) readable = readable.Substring(0, MaxReadableLength);
        return $"{readable}Codec_{StableHash.Fnv1a32(TypeName(type)):x8}";
    }

    private static string Readable(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => Readable(array.ElementType) + (array.Rank == 1 ? "Array" : $"Array{array.Rank}D"),
        INamedTypeSymbol { TypeArguments.Length: > 0 } generic =>
            generic.Name + "Of" + string.Join("And", generic.TypeArguments.Select(Readable)),
        _ => new string(type.Name.Where(char.IsLetterOrDigit).ToArray()),
    };

    /// <summary>A tuple type without its element names, so <c>(int Id, string Name)</c> and <c>(int, string)</c> share a codec.</summary>
    private static ITypeSymbol Unnamed(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true, TupleUnderlyingType: { } underlying } ? underlying : type;
}
