using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// The rules a <c>[PoolTask]</c> method's declaration must meet for generated code to call it (PP0001, PP0005).
/// Shared by the generator, which skips a method that breaks one, and the analyzer, which reports it.
/// </summary>
internal static class TaskShape
{
    /// <summary>The first rule the method breaks, as a message fragment, or null.</summary>
    public static string? FindDeclarationProblem(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary) return "it is not an ordinary method";
        if (!method.IsStatic) return "it is not static; a worker process has no instance to call it on";
        if (method.IsGenericMethod) return "it is generic; the worker must know the exact types to decode";
        if (method.IsAbstract) return "it is abstract; a worker needs a method body to run";
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType) return $"its containing type {type.Name} is generic";
            if (type.IsFileLocal) return $"its containing type {type.Name} is file-local; generated code in another file cannot reach it";
            if (!IsReachableFromAssembly(type.DeclaredAccessibility)) return $"its containing type {type.Name} is {Describe(type.DeclaredAccessibility)}; generated code cannot reach it";
        }
        if (!IsReachableFromAssembly(method.DeclaredAccessibility)) return $"it is {Describe(method.DeclaredAccessibility)}; generated code cannot call it (make it internal or public)";
        return null;
    }

    /// <summary>What else an initializer must be (PP0010): it builds state, it does not return a value.</summary>
    public static string? FindInitializerProblem(IMethodSymbol method)
    {
        if (!method.IsStatic) return "it is not static";
        var (kind, _) = ReturnClassifier.Unwrap(method);
        if (kind is not (Model.ReturnKind.Void or Model.ReturnKind.Task or Model.ReturnKind.ValueTask))
            return "it returns a value; an initializer builds per-worker state (store it in a static field) and returns void, Task or ValueTask";
        return null;
    }

    /// <summary>True if code elsewhere in the assembly can call the method.</summary>
    public static bool IsPublicSurface(IMethodSymbol method)
    {
        if (method.DeclaredAccessibility != Accessibility.Public) return false;
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            if (type.DeclaredAccessibility != Accessibility.Public) return false;
        return true;
    }

    private static bool IsReachableFromAssembly(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static string Describe(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => accessibility.ToString().ToLowerInvariant(),
    };
}
