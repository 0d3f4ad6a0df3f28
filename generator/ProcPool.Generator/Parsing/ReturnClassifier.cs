using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>Reads a task's return type: what the worker awaits, and what travels back.</summary>
internal static class ReturnClassifier
{
    public static (ReturnKind Kind, ITypeSymbol? Result) Unwrap(IMethodSymbol method)
    {
        var type = method.ReturnType;
        if (method.ReturnsVoid) return (ReturnKind.Void, null);
        if (KnownTypes.Is(type, "System.Threading.Tasks", "Task")) return (ReturnKind.Task, null);
        if (KnownTypes.Is(type, "System.Threading.Tasks", "ValueTask")) return (ReturnKind.ValueTask, null);
        if (KnownTypes.Is(type, "System.Threading.Tasks", "Task", 1)) return (ReturnKind.TaskOfT, ((INamedTypeSymbol)type).TypeArguments[0]);
        if (KnownTypes.Is(type, "System.Threading.Tasks", "ValueTask", 1)) return (ReturnKind.ValueTaskOfT, ((INamedTypeSymbol)type).TypeArguments[0]);
        return (ReturnKind.Value, type);
    }

    /// <summary>The return model, or the reason the result cannot travel back.</summary>
    public static (ReturnModel? Model, string? Reason) Classify(IMethodSymbol method)
    {
        var (model, result) = ClassifyWithCodecs(method);
        return (model, result.Reason);
    }

    /// <summary>The return model (null if the result cannot travel back) and the classification of the result type.</summary>
    public static (ReturnModel? Model, Classification Result) ClassifyWithCodecs(IMethodSymbol method)
    {
        var (kind, result) = Unwrap(method);
        string declared = method.ReturnsVoid ? "void" : KnownTypes.NameOf(method.ReturnType);
        if (result is null)
        {
            var none = new CodecModel.None();
            return (new ReturnModel(kind, declared, none.TypeName, none), Classification.Of(none));
        }
        var classification = TypeClassifier.Classify(result, method.ContainingAssembly);
        if (!classification.IsSerializable) return (null, classification);
        return (new ReturnModel(kind, declared, KnownTypes.NameOf(result), classification.Codec!), classification);
    }
}
