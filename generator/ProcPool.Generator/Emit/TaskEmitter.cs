using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// Emits one file per task: the descriptor the runtime dispatches through (argument encoding on the parent side,
/// decode-call-encode on the worker side) and the typed stub <c>pool.&lt;Method&gt;Async(...)</c>.
/// </summary>
internal static class TaskEmitter
{
    public static void Emit(SourceProductionContext context, TaskMethodModel task, string assemblyName) =>
        context.AddSource(task.HintName, SourceText.From(Render(task, assemblyName), System.Text.Encoding.UTF8));

    public static string Render(TaskMethodModel task, string assemblyName)
    {
        var w = new SourceWriter();
        w.Line(GeneratedNames.Header);
        GeneratedNames.NullableContext(w);
        w.Line("#pragma warning disable CS0612, CS0618 // a task may use obsolete types; that is the user's call, not ours");
        w.Line();
        string internals = GeneratedNames.InternalNamespace(assemblyName);
        w.Open($"namespace {internals}");
        RenderDescriptor(w, task, TaskId.Compute(assemblyName, task.Signature));
        w.Close();
        if (!task.IsInitializer)
        {
            w.Line();
            RenderStub(w, task, internals);
        }
        return w.ToString();
    }

    private static string ArgumentsType(TaskMethodModel task) => task.Parameters.Count switch
    {
        0 => "global::System.ValueTuple",
        1 => $"global::System.ValueTuple<{task.Parameters[0].TypeName}>",
        _ => "(" + string.Join(", ", task.Parameters.Select(p => p.TypeName)) + ")",
    };

    private static string ArgumentsValue(TaskMethodModel task, IReadOnlyList<string> names) => task.Parameters.Count switch
    {
        0 => "default(global::System.ValueTuple)",
        1 => $"new global::System.ValueTuple<{task.Parameters[0].TypeName}>({names[0]})",
        _ => "(" + string.Join(", ", names) + ")",
    };

    private static void RenderDescriptor(SourceWriter w, TaskMethodModel task, uint id)
    {
        string argsType = ArgumentsType(task);
        string resultType = task.Return.ResultTypeName;
        string name = task.DescriptorName;
        w.Line(task.IsInitializer
            ? $"/// <summary>Runs the [PoolInitializer] <c>{task.TaskName}</c> in each worker: encodes its arguments once, calls it in every worker before its first task.</summary>"
            : $"/// <summary>Runs the [PoolTask] <c>{task.TaskName}</c> across processes: encodes its arguments, calls it in a worker, decodes its result.</summary>");
        w.Line(GeneratedNames.HiddenFromEditor);
        w.Line(GeneratedNames.GeneratedCode);
        w.Open($"internal sealed class {name} : global::ProcPool.Runtime.PoolTask<{argsType}, {resultType}>");
        w.Line($"public static readonly {name} Instance = new {name}();");
        w.Line();
        w.Line($"private {name}() : base(\"{task.TaskName}\", 0x{id.ToString("x8", CultureInfo.InvariantCulture)}u) {{ }}");

        int tokenIndex = IndexOfCancellationToken(task);
        if (tokenIndex >= 0)
        {
            w.Line();
            w.Line("public override bool TakesCancellationToken => true;");
            w.Line();
            w.Line($"public override {GeneratedNames.CancellationToken} GetCancellationToken(in {argsType} arguments) => arguments.Item{tokenIndex + 1};");
        }

        w.Line();
        w.Open($"public override void WriteArguments({GeneratedNames.Writer} writer, in {argsType} arguments)");
        for (int i = 0; i < task.Parameters.Count; i++)
        {
            var parameter = task.Parameters[i];
            if (parameter.Codec is null) continue;
            w.Line(CodecEmitter.WriteStatement(parameter.Codec, "writer", $"arguments.Item{i + 1}")!);
        }
        w.Close();

        w.Line();
        w.Line($"public override {resultType} ReadResult(ref {GeneratedNames.Reader} reader) => {CodecEmitter.ReadExpression(task.Return.Codec, "reader")};");

        w.Line();
        w.Open($"public override {GeneratedNames.ValueTask} Invoke(ref {GeneratedNames.Reader} arguments, {GeneratedNames.Writer} result, {GeneratedNames.CancellationToken} cancellationToken)");
        var callArguments = new List<string>();
        for (int i = 0; i < task.Parameters.Count; i++)
        {
            var parameter = task.Parameters[i];
            if (parameter.Codec is null)
            {
                callArguments.Add("cancellationToken");
                continue;
            }
            w.Line($"{parameter.TypeName} arg{i} = {CodecEmitter.ReadExpression(parameter.Codec, "arguments")};");
            callArguments.Add($"arg{i}");
        }
        w.Line($"arguments.EnsureEnd(\"arguments of {task.TaskName}\");");
        string call = $"{task.ContainingTypeFullName}.{task.MethodName}({string.Join(", ", callArguments)})";
        string? writeValue = CodecEmitter.WriteStatement(task.Return.Codec, "result", "value");
        switch (task.Return.Kind)
        {
            case ReturnKind.Void:
                w.Line(call + ";");
                w.Line("return default;");
                w.Close();
                break;
            case ReturnKind.Value:
                w.Line($"{resultType} value = {call};");
                if (writeValue is not null) w.Line(writeValue);
                w.Line("return default;");
                w.Close();
                break;
            case ReturnKind.ValueTask:
                w.Line($"return {call};");
                w.Close();
                break;
            case ReturnKind.Task:
                w.Line($"global::System.Threading.Tasks.Task pending = {call};");
                w.Line($"return pending.IsCompletedSuccessfully ? default : new {GeneratedNames.ValueTask}(pending);");
                w.Close();
                break;
            case ReturnKind.TaskOfT:
            case ReturnKind.ValueTaskOfT:
                string pendingType = task.Return.Kind == ReturnKind.TaskOfT
                    ? $"global::System.Threading.Tasks.Task<{resultType}>"
                    : $"global::System.Threading.Tasks.ValueTask<{resultType}>";
                w.Line($"{pendingType} pending = {call};");
                w.Open("if (pending.IsCompletedSuccessfully)");
                w.Line($"{resultType} value = pending.Result;");
                if (writeValue is not null) w.Line(writeValue);
                w.Line("return default;");
                w.Close();
                w.Line("return AwaitResult(pending, result);");
                w.Close();
                w.Line();
                w.Open($"private static async {GeneratedNames.ValueTask} AwaitResult({pendingType} pending, {GeneratedNames.Writer} result)");
                w.Line($"{resultType} value = await pending.ConfigureAwait(false);");
                if (writeValue is not null) w.Line(writeValue);
                w.Close();
                break;
        }
        w.Close();
    }

    private static int IndexOfCancellationToken(TaskMethodModel task)
    {
        for (int i = 0; i < task.Parameters.Count; i++)
            if (task.Parameters[i].IsCancellationToken) return i;
        return -1;
    }

    private static void RenderStub(SourceWriter w, TaskMethodModel task, string internals)
    {
        if (task.Namespace is not null) w.Open($"namespace {task.Namespace}");
        string access = task.IsPublic ? "public" : "internal";
        string poolName = task.Parameters.Any(p => p.Name == "pool") ? "pool_" : "pool";
        bool takesToken = task.Parameters.Any(p => p.IsCancellationToken);
        string tokenName = task.Parameters.Any(p => p.Name == "cancellationToken") ? "cancellationToken_" : "cancellationToken";

        var parameters = new List<string> { $"this global::ProcPool.WorkerPool {poolName}" };
        parameters.AddRange(task.Parameters.Select(p => p.DefaultValue is null ? $"{p.TypeName} {p.Name}" : $"{p.TypeName} {p.Name} = {p.DefaultValue}"));
        if (!takesToken) parameters.Add($"{GeneratedNames.CancellationToken} {tokenName} = default");

        string resultType = task.Return.Codec is CodecModel.None
            ? "global::ProcPool.PoolResult"
            : $"global::ProcPool.PoolResult<{task.Return.ResultTypeName}>";
        string arguments = ArgumentsValue(task, task.Parameters.Select(p => p.Name).ToList());

        w.Line($"/// <summary>Typed calls of the [PoolTask] methods of <see cref=\"{task.ContainingTypeFullName}\"/> on a <see cref=\"global::ProcPool.WorkerPool\"/>.</summary>");
        // Parts of a partial class must not disagree on accessibility: only a part with a public task says "public";
        // the others say nothing and take the class's (internal when no task is public).
        w.Open($"{(task.IsPublic ? "public " : "")}static partial class {task.ExtensionsClassName}");
        w.Line($"/// <summary>");
        w.Line($"/// Runs <c>{task.TaskName}</c> in a worker process of <paramref name=\"{poolName}\"/> and returns at once with its pending result.");
        w.Line($"/// </summary>");
        w.Line($"/// <param name=\"{poolName}\">The pool to run the task on.</param>");
        foreach (var parameter in task.Parameters)
            w.Line($"/// <param name=\"{parameter.Name.TrimStart('@')}\">{(parameter.IsCancellationToken ? "Cancels the call, and the task in its worker." : $"Argument <c>{parameter.Name.TrimStart('@')}</c> of the task.")}</param>");
        if (!takesToken) w.Line($"/// <param name=\"{tokenName}\">Cancels the call: removed from the queue, or stopped in its worker.</param>");
        w.Line(GeneratedNames.GeneratedCode);
        w.Line($"{access} static {resultType} {task.StubName}({string.Join(", ", parameters)})");
        string token = takesToken ? "default" : tokenName;
        w.Line($"    => {poolName}.Submit(global::{internals}.{task.DescriptorName}.Instance, {arguments}, {token});");
        w.Close();
        if (task.Namespace is not null) w.Close();
    }
}
