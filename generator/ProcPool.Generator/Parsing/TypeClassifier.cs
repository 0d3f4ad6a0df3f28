using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// Decides whether a type can cross a process boundary and, if so, how it is encoded. The generator emits codecs
/// from its answer and the analyzer reports diagnostics from the same answer, so what compiles serializes.
/// </summary>
internal static class TypeClassifier
{
    public static Classification Classify(ITypeSymbol type)
    {
        if (UnpicklableCatalogue.Find(type) is { } never)
            return Classification.NeverSerializable(type.ToDisplayString(), never);
        if (Primitive(type) is { } primitive) return Classification.Of(primitive);
        if (type.SpecialType == SpecialType.System_String)
            return Classification.Of(new CodecModel.Utf8String(KnownTypes.NameOf(type), type.NullableAnnotation == NullableAnnotation.Annotated));
        if (type is IArrayTypeSymbol { Rank: 1 } array && Primitive(array.ElementType) is { } element)
            return Classification.Of(new CodecModel.UnmanagedArray(KnownTypes.NameOf(type), element.TypeName, type.NullableAnnotation == NullableAnnotation.Annotated));
        return Classification.NotSerializable($"{type.ToDisplayString()} is not a type ProcPool can encode yet");
    }

    private static CodecModel.Primitive? Primitive(ITypeSymbol type)
    {
        string? suffix = type.SpecialType switch
        {
            SpecialType.System_Boolean => "Boolean",
            SpecialType.System_Char => "Char",
            SpecialType.System_SByte => "SByte",
            SpecialType.System_Byte => "Byte",
            SpecialType.System_Int16 => "Int16",
            SpecialType.System_UInt16 => "UInt16",
            SpecialType.System_Int32 => "Int32",
            SpecialType.System_UInt32 => "UInt32",
            SpecialType.System_Int64 => "Int64",
            SpecialType.System_UInt64 => "UInt64",
            SpecialType.System_Single => "Single",
            SpecialType.System_Double => "Double",
            SpecialType.System_Decimal => "Decimal",
            _ => null,
        };
        return suffix is null ? null : new CodecModel.Primitive(KnownTypes.NameOf(type), suffix);
    }
}
