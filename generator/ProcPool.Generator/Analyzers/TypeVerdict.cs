using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ProcPool.Generator.Diagnostics;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator.Analyzers;

/// <summary>
/// What the TypeClassifier's answer for a parameter or result type means to the user: the descriptor and the
/// message arguments. The generator skips a task exactly when the classifier says a type can't be encoded, so
/// every skip here becomes an error (or, for an open type, the PP0006 warning).
/// </summary>
internal static class TypeVerdict
{
    /// <summary>The property that tells the code fix which catalogue category a PP0002 is about.</summary>
    public const string CategoryProperty = "Category";

    public static Diagnostic? ForParameter(IParameterSymbol parameter, string subject, Location location)
    {
        if (parameter.RefKind != RefKind.None)
            return Diagnostic.Create(PoolDiagnostics.ParameterKindNotSupported, location, subject,
                $"it is {Describe(parameter.RefKind)} parameter, and a worker can't reach the caller's variables; take the value and return the result instead");
        if (KnownTypes.IsCancellationToken(parameter.Type)) return null;

        var type = parameter.Type;
        // Classified from the task's own assembly, exactly as the generator does, so the two always agree on
        // whether another assembly's internal types are reachable.
        var classification = TypeClassifier.Classify(type, parameter.ContainingAssembly);
        if (classification.MemberPath is null && classification.Never is { } never && IsPointerOrRefStruct(type))
            return Diagnostic.Create(PoolDiagnostics.ParameterKindNotSupported, location, subject, Explanations.Explain(never, type));
        if (classification.MemberPath is { } path)
            return Diagnostic.Create(PoolDiagnostics.MemberCannotCross, location, subject, MemberDisplay(path, classification), Explanations.Explain(classification, type));
        if (classification.Never is { } catalogued)
            return Diagnostic.Create(PoolDiagnostics.ParameterCannotCross, location,
                ImmutableDictionary<string, string?>.Empty.Add(CategoryProperty, catalogued.Category.ToString()),
                subject, Explanations.Explain(catalogued, type));
        if (classification.IsOpenType)
            return Diagnostic.Create(PoolDiagnostics.OpenParameterType, location, subject, UnpicklableCatalogue.ShortName(type));
        if (!classification.IsSerializable)
            return Diagnostic.Create(PoolDiagnostics.ParameterCannotCross, location, subject, Explanations.Explain(classification, type));
        if (StatefulPart(type) is { } what)
            return Diagnostic.Create(PoolDiagnostics.StatefulArgument, location, subject, UnpicklableCatalogue.ShortName(type), what);
        return null;
    }

    /// <summary>The verdict on what a task returns (after unwrapping <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>).</summary>
    public static Diagnostic? ForResult(IMethodSymbol method, string taskName, Location location)
    {
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            return Diagnostic.Create(PoolDiagnostics.ResultCannotCross, location, taskName, "it returns a reference into this process's memory; return the value");
        var (_, result) = ReturnClassifier.Unwrap(method);
        if (result is null) return null;

        var classification = TypeClassifier.Classify(result, method.ContainingAssembly);
        if (classification.IsOpenType)
            return Diagnostic.Create(PoolDiagnostics.OpenParameterType, location, $"The result of {taskName}", UnpicklableCatalogue.ShortName(result));
        if (classification.IsSerializable) return null;
        string why = Explanations.Explain(classification, result);
        if (classification.MemberPath is { } path) why = $"because of the member {MemberDisplay(path, classification)}: {why}";
        return Diagnostic.Create(PoolDiagnostics.ResultCannotCross, location, taskName, why);
    }

    /// <summary><c>Job.Log (StreamWriter)</c>: the path, and the member's own type when the catalogue named it.</summary>
    private static string MemberDisplay(string path, Classification classification) =>
        classification.Never?.TypeName is { } typeName ? $"{path} ({typeName})" : path;

    private static bool IsPointerOrRefStruct(ITypeSymbol type) =>
        type is IPointerTypeSymbol or IFunctionPointerTypeSymbol || type.IsRefLikeType;

    private static string Describe(RefKind refKind) => refKind switch
    {
        RefKind.Out => "an out",
        RefKind.In => "an in",
        RefKind.RefReadOnlyParameter => "a ref readonly",
        _ => "a ref",
    };

    /// <summary>PP0009: what in an encodable type is really a resource or code, which the copy the worker gets won't carry.</summary>
    private static string? StatefulPart(ITypeSymbol type)
    {
        if (type.SpecialType != SpecialType.None || type.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return null;
        // Disposable, but made to be arguments: what crosses is the identity, and every worker reaches the same object.
        if (SharedHandles.Match(type) is not null) return null;
        foreach (var @interface in type.AllInterfaces)
        {
            if (KnownTypes.Is(@interface, "System", "IDisposable")) return "implements IDisposable";
            if (KnownTypes.Is(@interface, "System", "IAsyncDisposable")) return "implements IAsyncDisposable";
        }
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            if (current.GetMembers().OfType<IEventSymbol>().FirstOrDefault() is { } @event)
                return $"declares the event '{@event.Name}'";
        return null;
    }
}
