using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// Emits the module initializer that registers the item codec of a <c>SharedQueue&lt;T&gt;</c> with the runtime, one file
/// per queue item type, in the Codecs folder beside the codecs it names.
/// </summary>
internal static class SharedQueueRegistrationEmitter
{
    public static string Render(SharedQueueRegistrationModel registration, string assemblyName)
    {
        var w = new SourceWriter();
        w.Line(GeneratedNames.Header);
        GeneratedNames.NullableContext(w);
        w.Line("#pragma warning disable CA2255 // a module initializer is how the runtime learns the codec before any queue is created");
        w.Line("#pragma warning disable CS0612, CS0618");
        w.Line();
        w.Open($"namespace {GeneratedNames.InternalNamespace(assemblyName)}");
        w.Line($"/// <summary>Tells the runtime how the items of <c>{CodecFileEmitter.Escape(registration.DisplayName)}</c> are encoded.</summary>");
        w.Line(GeneratedNames.HiddenFromEditor);
        w.Line(GeneratedNames.GeneratedCode);
        w.Open($"internal static class {registration.CodecName}");
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Line($"internal static void Register() => global::ProcPool.Runtime.SharedQueueCodecs.Register<{registration.ItemTypeName}, {registration.ItemCodecType}>();");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
