using System.Linq;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// The codec of a user class, record or struct: null marker (classes), then each member in order; the reader reads
/// the members into locals and builds the value with its constructor and initializer. Each object is one level of
/// the graph for depth limits and cycle detection.
/// </summary>
internal static class ObjectCodecEmitter
{
    public static void Render(SourceWriter w, ObjectCodecModel codec)
    {
        bool isEmptyStruct = codec.IsValueType && codec.Members.Count == 0;
        string minimum = !codec.IsValueType ? "1"
            : isEmptyStruct ? "1"
            : string.Join(" + ", codec.Members.Select(m => $"{m.Codec.CodecType}.MinimumSize"));
        w.Line($"public static int MinimumSize => {minimum};");
        w.Line();
        RenderWrite(w, codec, isEmptyStruct);
        w.Line();
        RenderRead(w, codec, isEmptyStruct);
    }

    private static void RenderWrite(SourceWriter w, ObjectCodecModel codec, bool isEmptyStruct)
    {
        string display = CodecEmitter.Quote(codec.DisplayName);
        w.Open($"public static void Write({GeneratedNames.Writer} writer, {codec.TypeName} value)");
        if (!codec.IsValueType)
        {
            w.Open("if (value is null)");
            w.Line("writer.WriteNullMarker(false);");
            w.Line("return;");
            w.Close();
            if (codec.CheckExactType)
                w.Line($"if (value.GetType() != typeof({codec.TypeName})) throw writer.SubtypeNotSupported(value, {display});");
            w.Line("writer.WriteNullMarker(true);");
        }
        if (isEmptyStruct)
        {
            // Nothing to send, but every value takes at least a byte, so collection counts can be checked against the data.
            w.Line("writer.WriteByte(0);");
            w.Close();
            return;
        }
        w.Line($"writer.EnterObject({(codec.IsValueType ? "null" : "value")}, {display});");
        foreach (var member in codec.Members)
        {
            if (!member.Codec.IsLeaf) w.Line($"writer.SetMember({CodecEmitter.Quote(member.Name)});");
            w.Line(CodecEmitter.WriteStatement(member.Codec, "writer", "value." + member.Identifier)!);
        }
        w.Line("writer.ExitObject();");
        w.Close();
    }

    private static void RenderRead(SourceWriter w, ObjectCodecModel codec, bool isEmptyStruct)
    {
        w.Open($"public static {codec.TypeName} Read(ref {GeneratedNames.Reader} reader)");
        if (!codec.IsValueType) w.Line("if (!reader.ReadNullMarker()) return null;");
        if (isEmptyStruct)
        {
            w.Line($"if (reader.ReadByte() != 0) throw new global::ProcPool.PoolSerializationException({CodecEmitter.Quote($"Invalid marker of an empty {codec.DisplayName}.")});");
            w.Line($"return new {codec.TypeName}();");
            w.Close();
            return;
        }
        w.Line($"reader.EnterObject({CodecEmitter.Quote(codec.DisplayName)});");
        for (int i = 0; i < codec.Members.Count; i++)
        {
            var member = codec.Members[i];
            w.Line($"{member.Codec.TypeName} m{i} = {CodecEmitter.ReadExpression(member.Codec, "reader")};");
        }
        if (codec.Construction == ObjectConstruction.AssignFields)
        {
            w.Line($"{codec.TypeName} result = default;");
            for (int i = 0; i < codec.Members.Count; i++) w.Line($"result.{codec.Members[i].Identifier} = m{i};");
        }
        else
        {
            string arguments = string.Join(", ", codec.Members
                .Select((m, i) => (m.ConstructorPosition, Local: $"m{i}"))
                .Where(p => p.ConstructorPosition >= 0)
                .OrderBy(p => p.ConstructorPosition)
                .Select(p => p.Local));
            var assigned = codec.Members.Select((m, i) => (m, i)).Where(p => p.m.IsAssigned).ToList();
            // The type's own constructor and setters run here, and may refuse what the data says (a value out of
            // range): that is a decoding failure like any other, so it surfaces as one.
            w.Line($"{codec.TypeName} result;");
            w.Open("try");
            if (assigned.Count == 0)
            {
                w.Line($"result = new {codec.TypeName}({arguments});");
            }
            else
            {
                w.Line($"result = new {codec.TypeName}({arguments})");
                w.Line("{");
                foreach (var (member, i) in assigned) w.Line($"    {member.Identifier} = m{i},");
                w.Line("};");
            }
            w.Close();
            w.Open("catch (global::System.Exception e) when (e is not global::ProcPool.PoolSerializationException)");
            w.Line($"throw new global::ProcPool.PoolSerializationException({CodecEmitter.Quote($"Rebuilding {codec.DisplayName} from the data failed: ")} + e.Message, e);");
            w.Close();
        }
        w.Line("reader.ExitObject();");
        w.Line("return result;");
        w.Close();
    }
}
