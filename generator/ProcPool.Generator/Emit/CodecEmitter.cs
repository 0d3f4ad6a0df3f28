using System;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>Turns a <see cref="CodecModel"/> into the C# that writes or reads one value where it appears.</summary>
internal static class CodecEmitter
{
    public static string? WriteStatement(CodecModel codec, string writer, string value) => codec switch
    {
        CodecModel.None => null,
        CodecModel.Primitive p => $"{writer}.Write{p.Suffix}({value});",
        CodecModel.Utf8String => $"{writer}.WriteString({value});",
        CodecModel.EnumValue e => $"{writer}.Write{e.Underlying.Suffix}(({e.Underlying.TypeName}){value});",
        CodecModel.Unmanaged u => $"{writer}.WriteUnmanaged<{u.TypeName}>({value});",
        CodecModel.UnmanagedArray a => $"{writer}.WriteUnmanagedArray<{a.ElementTypeName}>({value});",
        CodecModel.Composite c => $"{c.CodecType}.Write({writer}, {value});",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "No writer for this codec."),
    };

    public static string ReadExpression(CodecModel codec, string reader) => codec switch
    {
        CodecModel.None => "default",
        CodecModel.Primitive p => $"{reader}.Read{p.Suffix}()",
        CodecModel.Utf8String => $"{reader}.ReadString()",
        CodecModel.EnumValue e => $"({e.TypeName}){reader}.Read{e.Underlying.Suffix}()",
        CodecModel.Unmanaged u => $"{reader}.ReadUnmanaged<{u.TypeName}>()",
        CodecModel.UnmanagedArray a => $"{reader}.ReadUnmanagedArray<{a.ElementTypeName}>()",
        CodecModel.Composite c => $"{c.CodecType}.Read(ref {reader})",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "No reader for this codec."),
    };

    /// <summary>The C# string literal for a name shown in messages.</summary>
    public static string Quote(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
