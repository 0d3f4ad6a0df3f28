using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// The single values the codec knows by name: the primitives, and the framework value types it writes with a method of
/// their own (dates and times, big numbers, ids, URIs, versions). Each has a <c>PoolWriter.Write{Suffix}</c> /
/// <c>PoolReader.Read{Suffix}</c> pair and a runtime codec for when it is the element of a collection. Integers of 16
/// bits and more are varints (<c>WriteVarInt32</c>), so small numbers take a byte; inside a block copy (an array of
/// them, an unmanaged struct) they keep their fixed size, because the block is copied without looking at them.
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

    /// <summary>
    /// An enum: by its underlying value's codec (a varint) when that is 16 bits or wider, as its one raw byte otherwise
    /// (a varint would never be shorter).
    /// </summary>
    public static CodecModel EnumValue(INamedTypeSymbol type)
    {
        string typeName = CodecNames.TypeName(type);
        if (type.EnumUnderlyingType is { SpecialType: not (SpecialType.System_Byte or SpecialType.System_SByte) } underlying
            && Scalar(underlying) is { } value)
            return new CodecModel.EnumValue(typeName, value);
        return new CodecModel.Unmanaged(typeName);
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
            case SpecialType.System_Int16: return ("VarInt16", "VarInt16Codec");
            case SpecialType.System_UInt16: return ("VarUInt16", "VarUInt16Codec");
            case SpecialType.System_Int32: return ("VarInt32", "VarInt32Codec");
            case SpecialType.System_UInt32: return ("VarUInt32", "VarUInt32Codec");
            case SpecialType.System_Int64: return ("VarInt64", "VarInt64Codec");
            case SpecialType.System_UInt64: return ("VarUInt64", "VarUInt64Codec");
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
