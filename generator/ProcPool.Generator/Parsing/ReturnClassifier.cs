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
        var (kind, result) = Unwrap(method);
        string declared = method.ReturnsVoid ? "void" : KnownTypes.NameOf(method.ReturnType);
        if (result is null) return (new ReturnModel(kind, declared, "global::ProcPool.Runtime.Unit", new CodecModel.None()), null);
        var classification = TypeClassifier.Classify(result);
        if (!classification.IsSerializable) return (null, classification.Reason);
        return (new ReturnModel(kind, declared, KnownTypes.NameOf(result), classification.Codec!), null);
    }
}
