using System.Linq;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// The codec of a <c>[PoolUnion]</c> type: a one-byte tag (0 null, n the n-th case) picked by the value's exact runtime
/// type, then the case's own codec. No type name travels; a runtime type that is not a listed case is refused.
/// </summary>
internal static class UnionCodecEmitter
{
    public static void Render(SourceWriter w, UnionCodecModel codec)
    {
        w.Line("public static int MinimumSize => 1;");
        w.Line();
        w.Open($"public static void Write({GeneratedNames.Writer} writer, {codec.TypeName} value)");
        w.Open("if (value is null)");
        w.Line("writer.WriteByte(0);");
        w.Line("return;");
        w.Close();
        w.Line("global::System.Type type = value.GetType();");
        foreach (var @case in codec.Cases)
        {
            // Exact types: a subclass of a case that is not itself listed would lose its extra state.
            w.Open($"if (type == typeof({@case.TypeName}))");
            w.Line($"writer.WriteByte({@case.Tag});");
            w.Line(CodecEmitter.WriteStatement(@case.Codec, "writer", $"({@case.TypeName})value")!);
            w.Line("return;");
            w.Close();
        }
        string cases = string.Join(", ", codec.Cases.Select(c => c.DisplayName));
        w.Line($"throw writer.NotAUnionCase(value, {CodecEmitter.Quote(codec.DisplayName)}, {CodecEmitter.Quote(cases)});");
        w.Close();
        w.Line();
        w.Open($"public static {codec.TypeName} Read(ref {GeneratedNames.Reader} reader)");
        w.Line("byte tag = reader.ReadByte();");
        w.Open("switch (tag)");
        w.Line("case 0: return null;");
        foreach (var @case in codec.Cases)
            w.Line($"case {@case.Tag}: return {CodecEmitter.ReadExpression(@case.Codec, "reader")};");
        // Type names hold no braces or quotes, so the display name can sit inside an interpolated string as it is.
        w.Line($"default: throw new global::ProcPool.PoolSerializationException($\"Invalid case tag {{tag}} for a {codec.DisplayName} before offset {{reader.Position}}.\");");
        w.Close();
        w.Close();
    }
}
