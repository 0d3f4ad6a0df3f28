using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProcPool.Generator.Emit;
using ProcPool.Generator.Model;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator;

/// <summary>
/// Finds <c>[PoolTask]</c> methods and emits, per task, a descriptor and a typed stub, per assembly, the dispatch
/// table the worker uses, and per transported user type, its codec. Every step's output is an equatable model, so
/// an edit that does not touch a task or a type it transports (or touches only a method body) regenerates nothing.
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

        var initializers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.PoolInitializerAttribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, ct) => TaskParser.ExtractInitializer(ctx, ct))
            .WithTrackingName(TrackingNames.ExtractInitializers)
            .Where(static initializer => initializer is not null)
            .Select(static (initializer, _) => initializer!)
            .WithTrackingName(TrackingNames.ValidInitializers);

        var assemblyName = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? "Unnamed")
            .WithTrackingName(TrackingNames.AssemblyName);

        context.RegisterSourceOutput(tasks.Combine(assemblyName),
            static (spc, pair) => TaskEmitter.Emit(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(initializers.Combine(assemblyName),
            static (spc, pair) => TaskEmitter.Emit(spc, pair.Left, pair.Right));

        var taskEntries = tasks
            .Select(static (task, _) => task.ToDispatchEntry())
            .WithTrackingName(TrackingNames.DispatchEntries)
            .Collect();
        var initializerEntries = initializers
            .Select(static (initializer, _) => initializer.ToDispatchEntry())
            .WithTrackingName(TrackingNames.InitializerDispatchEntries)
            .Collect();
        var dispatch = taskEntries
            .Combine(initializerEntries)
            .Select(static (pair, _) => new EquatableArray<DispatchEntry>(pair.Left.AddRange(pair.Right)))
            .WithTrackingName(TrackingNames.AllDispatchEntries)
            .Combine(assemblyName);
        context.RegisterSourceOutput(dispatch,
            static (spc, pair) => DispatchEmitter.Emit(spc, pair.Left, pair.Right));

        // Each codec once, however many tasks transport its type; after the Collect, each distinct codec is its own
        // item again, so an edit of one type re-emits only that type's codec.
        var codecs = tasks
            .SelectMany(static (task, _) => task.CodecTypes)
            .Collect()
            .Combine(initializers.SelectMany(static (initializer, _) => initializer.CodecTypes).Collect())
            .SelectMany(static (pair, _) => DistinctCodecs(pair.Left.AddRange(pair.Right)))
            .WithTrackingName(TrackingNames.CodecTypes);
        context.RegisterSourceOutput(codecs.Combine(assemblyName),
            static (spc, pair) => CodecFileEmitter.Emit(spc, pair.Left, pair.Right));
    }

    private static ImmutableArray<CodecTypeModel> DistinctCodecs(ImmutableArray<CodecTypeModel> all)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<CodecTypeModel>(all.Length);
        foreach (var codec in all.OrderBy(c => c.CodecName, StringComparer.Ordinal))
            if (seen.Add(codec.CodecName)) result.Add(codec);
        return result.ToImmutable();
    }
}
