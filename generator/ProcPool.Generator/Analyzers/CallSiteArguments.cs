using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ProcPool.Generator.Diagnostics;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator.Analyzers;

/// <summary>
/// Call-site PP0002. When a task declares a parameter as object, an interface or an abstract class, only the call
/// shows what will cross; a value whose type the catalogue rejects (a Lock, a Stream, a delegate…) is reported at
/// the argument, with the same explanation as at a declaration.
/// </summary>
internal static class CallSiteArguments
{
    /// <summary>A generated stub: its parameters after <c>this WorkerPool</c> are the task's, type for type.</summary>
    public static void CheckStub(OperationAnalysisContext context, IMethodSymbol stub, ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { Ordinal: > 0 } parameter || !PoolApi.IsOpen(parameter.Type)) continue;
            Report(context, argument, ValueType(argument.Value), parameter.Name, stub.Name);
        }
    }

    /// <summary>
    /// An API call such as <c>ApplyAsync(Tasks.Run, a, b)</c> or <c>Map(Tasks.Run, items)</c>: the runtime method's
    /// delegate parameter (<c>Func&lt;T1, T2, TResult&gt;</c>) says which of its type parameters each task parameter
    /// receives; the argument whose declared type holds that type parameter (<c>T1</c>, <c>IEnumerable&lt;T1&gt;</c>,
    /// <c>IEnumerable&lt;(T1, T2)&gt;</c>) carries the value.
    /// </summary>
    public static void CheckApiCall(OperationAnalysisContext context, IMethodSymbol api, ImmutableArray<IArgumentOperation> arguments,
        IArgumentOperation taskArgument, IMethodSymbol task)
    {
        var definition = api.OriginalDefinition;
        if (taskArgument.Parameter is not { } taskParameter
            || definition.Parameters[taskParameter.Ordinal].Type is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke }) return;
        string taskName = TaskNames.TypeDisplay(task.ContainingType) + "." + task.Name;

        for (int i = 0; i < invoke.Parameters.Length && i < task.Parameters.Length; i++)
        {
            var receiving = task.Parameters[i];
            if (!PoolApi.IsOpen(receiving.Type) || invoke.Parameters[i].Type is not ITypeParameterSymbol slot) continue;
            foreach (var argument in arguments)
            {
                if (argument == taskArgument || argument.Parameter is not { } parameter) continue;
                var declared = definition.Parameters[parameter.Ordinal].Type;
                if (Unify(declared, slot, ValueType(argument.Value)) is { } value)
                    Report(context, argument, value, receiving.Name, taskName);
            }
        }
    }

    private static void Report(OperationAnalysisContext context, IArgumentOperation argument, ITypeSymbol? value, string parameterName, string taskName)
    {
        if (value is null || FindNever(value, depth: 0) is not { } found) return;
        context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.ParameterCannotCross, argument.Value.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(TypeVerdict.CategoryProperty, found.Never.Category.ToString()),
            $"The argument '{argument.Value.Syntax}' for parameter '{parameterName}' of {taskName}",
            Explanations.Explain(found.Never, found.Type)));
    }

    /// <summary>The value's own type, before the implicit conversion to the parameter's type.</summary>
    private static ITypeSymbol? ValueType(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion) value = conversion.Operand;
        return value.Type;
    }

    /// <summary>
    /// The part of <paramref name="value"/> that sits where <paramref name="slot"/> sits in <paramref name="pattern"/>:
    /// T1 in T1 is the value; T1 in IEnumerable&lt;T1&gt; is the element type of whatever collection was passed.
    /// </summary>
    private static ITypeSymbol? Unify(ITypeSymbol pattern, ITypeParameterSymbol slot, ITypeSymbol? value)
    {
        if (value is null) return null;
        if (SymbolEqualityComparer.Default.Equals(pattern, slot)) return value;
        if (pattern is IArrayTypeSymbol patternArray)
            return value is IArrayTypeSymbol valueArray ? Unify(patternArray.ElementType, slot, valueArray.ElementType) : null;
        if (pattern is not INamedTypeSymbol { IsGenericType: true } generic) return null;

        var match = new[] { value }.Concat(value.AllInterfaces)
            .OfType<INamedTypeSymbol>()
            .FirstOrDefault(t => SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, generic.OriginalDefinition));
        if (match is null) return null;
        for (int i = 0; i < generic.TypeArguments.Length; i++)
            if (Unify(generic.TypeArguments[i], slot, match.TypeArguments[i]) is { } found) return found;
        return null;
    }

    /// <summary>A catalogued type in the value, itself or inside an array or a generic argument (<c>List&lt;Stream&gt;</c>).</summary>
    private static (UnpicklableReason Never, ITypeSymbol Type)? FindNever(ITypeSymbol type, int depth)
    {
        if (UnpicklableCatalogue.Find(type) is { } never) return (never, type);
        if (depth >= 3) return null;
        if (type is IArrayTypeSymbol array) return FindNever(array.ElementType, depth + 1);
        if (type is INamedTypeSymbol { IsGenericType: true } generic)
            foreach (var argument in generic.TypeArguments)
                if (FindNever(argument, depth + 1) is { } found) return found;
        return null;
    }
}
