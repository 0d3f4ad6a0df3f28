using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// Emits one generated codec: a <c>readonly struct</c> implementing <c>IPoolCodec&lt;T&gt;</c> in the assembly's
/// generated namespace (where the task descriptors refer to it by its simple name), one file each.
/// </summary>
internal static class CodecFileEmitter
{
    public static void Emit(SourceProductionContext context, CodecTypeModel codec, string assemblyName) =>
        context.AddSource(codec.HintName, SourceText.From(Render(codec, assemblyName), System.Text.Encoding.UTF8));

    public static string Render(CodecTypeModel codec, string assemblyName)
    {
        if (codec is SharedQueueRegistrationModel registration) return SharedQueueRegistrationEmitter.Render(registration, assemblyName);
        var w = new SourceWriter();
        w.Line(GeneratedNames.Header);
        GeneratedNames.NullableContext(w);
        w.Line("#pragma warning disable CS0612, CS0618 // a transported type may be obsolete; that is the user's call, not ours");
        w.Line();
        w.Open($"namespace {GeneratedNames.InternalNamespace(assemblyName)}");
        w.Line($"/// <summary>Writes and reads <c>{Escape(codec.DisplayName)}</c> on ProcPool's wire (see docs/wire-format.md).</summary>");
        w.Line(GeneratedNames.HiddenFromEditor);
        w.Line(GeneratedNames.GeneratedCode);
        w.Open($"internal readonly struct {codec.CodecName} : global::ProcPool.Serialization.IPoolCodec<{codec.TypeName}>");
        switch (codec)
        {
            case ObjectCodecModel o:
                ObjectCodecEmitter.Render(w, o);
                break;
            case UnionCodecModel u:
                UnionCodecEmitter.Render(w, u);
                break;
            case MultiDimensionalArrayCodecModel a:
                MultiDimensionalArrayCodecEmitter.Render(w, a);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "No emitter for this codec type.");
        }
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>XML doc text: type names hold <c>&lt;</c> and <c>&gt;</c>.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
