using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>The runtime's objects that cross a process by identity rather than by value.</summary>
internal enum SharedHandleKind
{
    /// <summary><c>ProcPool.SharedLock</c>: the path of its lock file travels.</summary>
    Lock,

    /// <summary><c>ProcPool.SharedQueue&lt;T&gt;</c>: the path of the parent's socket travels; items use T's codec.</summary>
    Queue,
}

/// <summary>
/// Recognizes <c>SharedLock</c> and <c>SharedQueue&lt;T&gt;</c>, the ProcPool types that are made to be arguments: every
/// worker that receives one reaches the same lock or queue. The classifier gives them runtime codecs instead of the
/// "part of ProcPool's runtime" refusal, and the analyzer does not warn that they are disposable (PP0009).
/// </summary>
internal static class SharedHandles
{
    public static SharedHandleKind? Match(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { ContainingType: null } named
            || named.ContainingAssembly?.Name != "ProcPool"
            || named.ContainingNamespace?.ToDisplayString() != "ProcPool")
            return null;
        return (named.Name, named.Arity) switch
        {
            ("SharedLock", 0) => SharedHandleKind.Lock,
            ("SharedQueue", 1) => SharedHandleKind.Queue,
            _ => null,
        };
    }
}
