using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProcPool.Generator.Emit;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator;

/// <summary>
/// Finds <c>[PoolTask]</c> methods and emits, per task, a descriptor and a typed stub, and per assembly, the
/// dispatch table the worker uses. Every step's output is an equatable model, so an edit that does not touch a
/// task (or touches only a method body) regenerates nothing.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PoolTaskGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tasks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.PoolTaskAttribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, ct) => TaskParser.Extract(ctx, ct))
            .WithTrackingName(TrackingNames.Extract)
            .Where(static task => task is not null)
            .Select(static (task, _) => task!)
            .WithTrackingName(TrackingNames.ValidTasks);

        var assemblyName = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? "Unnamed")
            .WithTrackingName(TrackingNames.AssemblyName);

        context.RegisterSourceOutput(tasks.Combine(assemblyName),
            static (spc, pair) => TaskEmitter.Emit(spc, pair.Left, pair.Right));

        var dispatch = tasks
            .Select(static (task, _) => task.ToDispatchEntry())
            .WithTrackingName(TrackingNames.DispatchEntries)
            .Collect()
            .Combine(assemblyName);
        context.RegisterSourceOutput(dispatch,
            static (spc, pair) => DispatchEmitter.Emit(spc, pair.Left, pair.Right));
    }
}
