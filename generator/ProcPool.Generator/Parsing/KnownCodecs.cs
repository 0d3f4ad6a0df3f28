using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// The single values the codec knows by name: the primitives, and the framework value types it writes with a method of
/// their own (dates and times, big numbers, ids, URIs, versions). Each has a <c>PoolWriter.Write{Suffix}</c> /
/// <c>PoolReader.Read{Suffix}</c> pair and a runtime codec for when it is the element of a collection.
/// </summary>
internal static class KnownCodecs
{
    public static CodecModel.Primitive? Scalar(ITypeSymbol type)
    {
        var (suffix, codec) = Lookup(type);
        if (suffix is null) return null;
        string typeName = CodecNames.TypeName(type);
        return new CodecModel.Primitive(typeName, suffix, codec is null ? RuntimeCodecs.Name("UnmanagedCodec", typeName) : RuntimeCodecs.Name(codec));
    }

    /// <summary>The suffix, and the runtime codec when the value is checked on read (otherwise it is read as raw bytes).</summary>
    private static (string? Suffix, string? Codec) Lookup(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return ("Boolean", "BooleanCodec");
            case SpecialType.System_Char: return ("Char", null);
            case SpecialType.System_SByte: return ("SByte", null);
            case SpecialType.System_Byte: return ("Byte", null);
            case SpecialType.System_Int16: return ("Int16", null);
            case SpecialType.System_UInt16: return ("UInt16", null);
            case SpecialType.System_Int32: return ("Int32", null);
            case SpecialType.System_UInt32: return ("UInt32", null);
            case SpecialType.System_Int64: return ("Int64", null);
            case SpecialType.System_UInt64: return ("UInt64", null);
            case SpecialType.System_Single: return ("Single", null);
            case SpecialType.System_Double: return ("Double", null);
            case SpecialType.System_Decimal: return ("Decimal", "DecimalCodec");
            case SpecialType.System_DateTime: return ("DateTime", "DateTimeCodec");
        }
        if (type is not INamedTypeSymbol { ContainingType: null, Arity: 0 } named) return (null, null);
        return (named.ContainingNamespace?.ToDisplayString(), named.Name) switch
        {
            ("System", "Half") => ("Half", null),
            ("System", "Int128") => ("Int128", null),
            ("System", "UInt128") => ("UInt128", null),
            ("System", "Guid") => ("Guid", null),
            ("System", "TimeSpan") => ("TimeSpan", "TimeSpanCodec"),
            ("System", "DateTimeOffset") => ("DateTimeOffset", "DateTimeOffsetCodec"),
            ("System", "DateOnly") => ("DateOnly", "DateOnlyCodec"),
            ("System", "TimeOnly") => ("TimeOnly", "TimeOnlyCodec"),
            ("System.Numerics", "BigInteger") => ("BigInteger", "BigIntegerCodec"),
            ("System", "Uri") => ("Uri", "UriCodec"),
            ("System", "Version") => ("Version", "VersionCodec"),
            _ => (null, null),
        };
    }
}
