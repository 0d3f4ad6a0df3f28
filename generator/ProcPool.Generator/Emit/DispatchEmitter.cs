using System.Collections.Generic;
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
        // Sorted, so the file does not change when the order of discovery does.
        var sorted = entries.OrderBy(e => e.Signature, System.StringComparer.Ordinal).ToList();
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
        w.Line("internal static void Register() => global::ProcPool.Runtime.PoolTaskRegistry.Register(typeof(PoolTaskDispatch).Assembly, Find, Entries);");
        w.Line();
        RenderFind(w, sorted, assemblyName);
        w.Line();
        RenderEntries(w, sorted);
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>
    /// A switch on the id, so a worker creates (and compiles) only the descriptors of the tasks it runs. Ids are
    /// 32-bit hashes: two tasks of one assembly may share one, and the lookup then says which, instead of the
    /// switch failing to compile.
    /// </summary>
    private static void RenderFind(SourceWriter w, List<DispatchEntry> sorted, string assemblyName)
    {
        w.Line("/// <summary>The task with this wire id, or null: what a worker looks up for each call.</summary>");
        w.Open("private static global::ProcPool.Runtime.PoolTaskDescriptor? Find(uint id) => id switch");
        foreach (var group in sorted.GroupBy(e => TaskId.Compute(assemblyName, e.Signature)).OrderBy(g => g.Key))
        {
            string label = $"0x{group.Key:x8}u";
            var same = group.ToList();
            if (same.Count == 1)
            {
                w.Line($"{label} => {same[0].DescriptorName}.Instance,");
                continue;
            }
            string names = string.Join(" and ", same.Select(e => e.MethodFullName.Replace("global::", "")));
            string message = CodecEmitter.Quote($"Two tasks share the id 0x{group.Key:x8}: {names}. Rename one of them.");
            w.Line($"{label} => throw new global::System.InvalidOperationException({message}),");
        }
        w.Line("_ => null,");
        w.Close(";");
    }

    private static void RenderEntries(SourceWriter w, List<DispatchEntry> sorted)
    {
        w.Line("/// <summary>Every task with the delegate that names it in <c>ApplyAsync(Type.Method, ...)</c>; the parent asks for them on its first such call.</summary>");
        w.Open("private static global::ProcPool.Runtime.PoolTaskEntry[] Entries() => new global::ProcPool.Runtime.PoolTaskEntry[]");
        foreach (var entry in sorted)
        {
            string key = entry.DelegateTypeName is null ? "null" : $"new {entry.DelegateTypeName}({entry.MethodFullName})";
            w.Line($"new global::ProcPool.Runtime.PoolTaskEntry({entry.DescriptorName}.Instance, {key}),");
        }
        w.Close(";");
    }
}
