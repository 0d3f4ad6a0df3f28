using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// Emits the assembly's dispatch table: every task's descriptor (which carries its stable id and invoker) with the
/// delegate that identifies it in <c>ApplyAsync(Type.Method, ...)</c>, registered by a module initializer so a
/// worker that loads the assembly finds its tasks.
/// </summary>
internal static class DispatchEmitter
{
    public const string HintName = "PoolTaskDispatch.g.cs";

    public static void Emit(SourceProductionContext context, EquatableArray<DispatchEntry> entries, string assemblyName)
    {
        if (entries.Count == 0) return;
        context.AddSource(HintName, SourceText.From(Render(entries, assemblyName), System.Text.Encoding.UTF8));
    }

    public static string Render(EquatableArray<DispatchEntry> entries, string assemblyName)
    {
        var w = new SourceWriter();
        w.Line(GeneratedNames.Header);
        w.Line("#nullable enable");
        w.Line("#pragma warning disable CA2255 // a module initializer is how the worker finds this assembly's tasks");
        w.Line("#pragma warning disable CS0612, CS0618");
        w.Line();
        w.Open($"namespace {GeneratedNames.InternalNamespace(assemblyName)}");
        w.Line("/// <summary>The [PoolTask] methods of this assembly, each under the id that travels on the wire.</summary>");
        w.Line(GeneratedNames.HiddenFromEditor);
        w.Line(GeneratedNames.GeneratedCode);
        w.Open("internal static class PoolTaskDispatch");
        w.Line("/// <summary>Registers this assembly's tasks with the runtime when the assembly is first used (or loaded by a worker).</summary>");
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Open("internal static void Register()");
        w.Line("global::ProcPool.Runtime.PoolTaskRegistry.Register(typeof(PoolTaskDispatch).Assembly, new global::ProcPool.Runtime.PoolTaskEntry[]");
        w.Line("{");
        // Sorted, so the file does not change when the order of discovery does.
        foreach (var entry in entries.OrderBy(e => e.Signature, System.StringComparer.Ordinal))
        {
            string key = entry.DelegateTypeName is null ? "null" : $"new {entry.DelegateTypeName}({entry.MethodFullName})";
            w.Line($"    new global::ProcPool.Runtime.PoolTaskEntry({entry.DescriptorName}.Instance, {key}),");
        }
        w.Line("});");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}
