using System;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>Turns a <see cref="CodecModel"/> into the C# that writes or reads one value.</summary>
internal static class CodecEmitter
{
    public static string? WriteStatement(CodecModel codec, string writer, string value) => codec switch
    {
        CodecModel.None => null,
        CodecModel.Primitive p => $"{writer}.Write{p.Suffix}({value});",
        CodecModel.Utf8String => $"{writer}.WriteString({value});",
        CodecModel.UnmanagedArray a => $"{writer}.WriteUnmanagedArray<{a.ElementTypeName}>({value});",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "No writer for this codec."),
    };

    public static string ReadExpression(CodecModel codec, string reader) => codec switch
    {
        CodecModel.None => "default",
        CodecModel.Primitive p => $"{reader}.Read{p.Suffix}()",
        CodecModel.Utf8String s => $"{reader}.ReadString()" + (s.IsNullable ? "" : "!"),
        CodecModel.UnmanagedArray a => $"{reader}.ReadUnmanagedArray<{a.ElementTypeName}>()" + (a.IsNullable ? "" : "!"),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "No reader for this codec."),
    };
}
