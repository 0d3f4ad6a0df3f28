using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Parsing;

/// <summary>Why a type can never cross a process boundary, and what to do instead.</summary>
internal enum UnpicklableCategory
{
    /// <summary>An in-process lock or synchronization primitive.</summary>
    Lock,
    /// <summary>An open OS resource: a handle, stream, socket, connection, process, timer, thread.</summary>
    Resource,
    /// <summary>Code rather than data: delegates, expressions, reflection objects.</summary>
    Code,
    /// <summary>An operation running in this process.</summary>
    PendingOperation,
    /// <summary>Controls cancellation in this process.</summary>
    Cancellation,
    /// <summary>An in-process queue.</summary>
    Queue,
    /// <summary>A raw pointer or native-sized handle value (PP0005 for pointers, PP0002 for IntPtr).</summary>
    Pointer,
    /// <summary>A ref struct such as <c>Span&lt;T&gt;</c> (PP0005).</summary>
    RefStruct,
    /// <summary>The pool itself, or other state that only means something in this process.</summary>
    ProcessState,
}

/// <summary>
/// A catalogue match: the catalogued type that matched (the type itself or one of its bases or interfaces), the
/// reason and the advice, and <paramref name="TypeName"/>, the short name of the type that was checked (for a
/// <c>StreamWriter</c> member: <c>StreamWriter</c>, where <paramref name="MatchedType"/> is <c>System.IO.TextWriter</c>),
/// so a message can say <c>Job.Log (StreamWriter)</c>.
/// </summary>
internal sealed record UnpicklableReason(string MatchedType, UnpicklableCategory Category, string Reason, string Advice, string? TypeName = null);

/// <summary>
/// The types that can never cross to a worker, each with a short reason ("an OS handle", "an in-process lock",
/// "code, not data") and what to do instead. Matched through base types and interfaces, so every
/// <c>Stream</c> subclass and every <c>WaitHandle</c> is covered. The TypeClassifier consults it for every type it
/// visits (parameters, results and the members inside them); the analyzer turns its answer into PP0002/PP0004/PP0005.
/// </summary>
internal static class UnpicklableCatalogue
{
    private const string LockAdvice = "use SharedLock for a lock shared by all workers, or create per-worker state in a [PoolInitializer] method";
    private const string ResourceAdvice = "pass what identifies it (a path, a URL, a connection string) and open it in the worker, in the task or once per worker in a [PoolInitializer] method";
    private const string CodeAdvice = "move the code into a static [PoolTask] method, or pass data that selects it (an enum or a name)";

    private static readonly Entry[] Entries =
    [
        // Locks and synchronization
        new("System.Threading", "Lock", 0, UnpicklableCategory.Lock, "an in-process lock", LockAdvice),
        new("System.Threading", "WaitHandle", 0, UnpicklableCategory.Lock, "an OS wait handle (Mutex, Semaphore, events)", LockAdvice),
        new("System.Threading", "SemaphoreSlim", 0, UnpicklableCategory.Lock, "an in-process semaphore", LockAdvice),
        new("System.Threading", "ReaderWriterLockSlim", 0, UnpicklableCategory.Lock, "an in-process lock", LockAdvice),
        new("System.Threading", "ReaderWriterLock", 0, UnpicklableCategory.Lock, "an in-process lock", LockAdvice),
        new("System.Threading", "SpinLock", 0, UnpicklableCategory.Lock, "an in-process lock", LockAdvice),
        new("System.Threading", "Barrier", 0, UnpicklableCategory.Lock, "an in-process barrier", LockAdvice),
        new("System.Threading", "CountdownEvent", 0, UnpicklableCategory.Lock, "an in-process event", LockAdvice),
        new("System.Threading", "ManualResetEventSlim", 0, UnpicklableCategory.Lock, "an in-process event", LockAdvice),
        new("System.Threading", "Monitor", 0, UnpicklableCategory.Lock, "an in-process lock", LockAdvice),

        // Threads, timers, contexts
        new("System.Threading", "Thread", 0, UnpicklableCategory.Resource, "a thread of this process", "start work in the worker instead: a task runs on the worker's own thread"),
        new("System.Threading", "Timer", 0, UnpicklableCategory.Resource, "a timer running in this process", ResourceAdvice),
        new("System.Timers", "Timer", 0, UnpicklableCategory.Resource, "a timer running in this process", ResourceAdvice),
        new("System.Threading", "PeriodicTimer", 0, UnpicklableCategory.Resource, "a timer running in this process", ResourceAdvice),
        new("System.Threading", "ExecutionContext", 0, UnpicklableCategory.ProcessState, "the execution context of this process's threads", "pass the values you need as arguments"),
        new("System.Threading", "SynchronizationContext", 0, UnpicklableCategory.ProcessState, "a scheduler of this process's threads", "pass the values you need as arguments"),
        new("System.Threading.Tasks", "TaskScheduler", 0, UnpicklableCategory.ProcessState, "a scheduler of this process's threads", "pass the values you need as arguments"),

        // Pending operations and cancellation
        new("System.Threading.Tasks", "Task", 0, UnpicklableCategory.PendingOperation, "an operation running in this process", "await it here and pass its result"),
        new("System.Threading.Tasks", "Task", 1, UnpicklableCategory.PendingOperation, "an operation running in this process", "await it here and pass its result"),
        new("System.Threading.Tasks", "ValueTask", 0, UnpicklableCategory.PendingOperation, "an operation running in this process", "await it here and pass its result"),
        new("System.Threading.Tasks", "ValueTask", 1, UnpicklableCategory.PendingOperation, "an operation running in this process", "await it here and pass its result"),
        new("System.Threading.Tasks", "TaskCompletionSource", 0, UnpicklableCategory.PendingOperation, "an operation running in this process", "return the value from the task instead"),
        new("System.Threading.Tasks", "TaskCompletionSource", 1, UnpicklableCategory.PendingOperation, "an operation running in this process", "return the value from the task instead"),
        new("System.Threading", "CancellationTokenSource", 0, UnpicklableCategory.Cancellation, "the source of a cancellation in this process", "give the [PoolTask] method a CancellationToken parameter; cancelling the call cancels it in the worker"),

        // Queues
        new("System.Threading.Channels", "Channel", 1, UnpicklableCategory.Queue, "an in-process queue", "use SharedQueue<T>, which every worker can use"),
        new("System.Threading.Channels", "Channel", 2, UnpicklableCategory.Queue, "an in-process queue", "use SharedQueue<T>, which every worker can use"),
        new("System.Threading.Channels", "ChannelReader", 1, UnpicklableCategory.Queue, "an in-process queue", "use SharedQueue<T>, which every worker can use"),
        new("System.Threading.Channels", "ChannelWriter", 1, UnpicklableCategory.Queue, "an in-process queue", "use SharedQueue<T>, which every worker can use"),
        new("System.Collections.Concurrent", "BlockingCollection", 1, UnpicklableCategory.Queue, "an in-process queue", "use SharedQueue<T>, which every worker can use"),

        // I/O and OS handles
        new("System.IO", "Stream", 0, UnpicklableCategory.Resource, "an open stream (an OS handle or this process's memory)", "pass a byte[] with the data, or a path to open in the worker"),
        new("System.IO", "TextReader", 0, UnpicklableCategory.Resource, "an open reader", "pass the text, or a path to open in the worker"),
        new("System.IO", "TextWriter", 0, UnpicklableCategory.Resource, "an open writer", "return the text from the task, or pass a path to write to in the worker"),
        new("System.IO", "BinaryReader", 0, UnpicklableCategory.Resource, "an open reader", "pass a byte[] with the data, or a path to open in the worker"),
        new("System.IO", "BinaryWriter", 0, UnpicklableCategory.Resource, "an open writer", "return a byte[] from the task, or pass a path to write to in the worker"),
        new("System.IO", "FileSystemWatcher", 0, UnpicklableCategory.Resource, "an OS watch handle", ResourceAdvice),
        new("System.IO", "FileSystemInfo", 0, UnpicklableCategory.ProcessState, "cached file-system state of this process", "pass the path (a string)"),
        new("System.Runtime.InteropServices", "SafeHandle", 0, UnpicklableCategory.Resource, "an OS handle", ResourceAdvice),
        new("System.Runtime.InteropServices", "CriticalHandle", 0, UnpicklableCategory.Resource, "an OS handle", ResourceAdvice),
        new("System.Runtime.InteropServices", "GCHandle", 0, UnpicklableCategory.Pointer, "a handle to an object of this process", "pass the object's data"),
        new("System.Diagnostics", "Process", 0, UnpicklableCategory.Resource, "a handle to a process", "pass the process id (an int) and look the process up in the worker"),

        // Network and databases
        new("System.Net.Sockets", "Socket", 0, UnpicklableCategory.Resource, "an open network connection", ResourceAdvice),
        new("System.Net.Sockets", "TcpClient", 0, UnpicklableCategory.Resource, "an open network connection", ResourceAdvice),
        new("System.Net.Sockets", "TcpListener", 0, UnpicklableCategory.Resource, "an open network listener", ResourceAdvice),
        new("System.Net.Sockets", "UdpClient", 0, UnpicklableCategory.Resource, "an open network connection", ResourceAdvice),
        new("System.Net.Http", "HttpClient", 0, UnpicklableCategory.Resource, "a client holding open connections", ResourceAdvice),
        new("System.Net.Http", "HttpMessageInvoker", 0, UnpicklableCategory.Resource, "a client holding open connections", ResourceAdvice),
        new("System.Net.Http", "HttpMessageHandler", 0, UnpicklableCategory.Resource, "a handler holding open connections", ResourceAdvice),
        new("System.Data.Common", "DbConnection", 0, UnpicklableCategory.Resource, "an open database connection", ResourceAdvice),
        new("System.Data.Common", "DbCommand", 0, UnpicklableCategory.Resource, "a command bound to a database connection", ResourceAdvice),
        new("System.Data.Common", "DbTransaction", 0, UnpicklableCategory.Resource, "a transaction on a database connection", ResourceAdvice),
        new("System.Data.Common", "DbDataReader", 0, UnpicklableCategory.Resource, "a reader on a database connection", ResourceAdvice),
        new("System.Data", "IDbConnection", 0, UnpicklableCategory.Resource, "an open database connection", ResourceAdvice),

        // Code and reflection
        new("System", "Delegate", 0, UnpicklableCategory.Code, "code, not data (a delegate may also capture state)", CodeAdvice),
        new("System.Linq.Expressions", "Expression", 0, UnpicklableCategory.Code, "code, not data", CodeAdvice),
        new("System", "Type", 0, UnpicklableCategory.Code, "reflection metadata of this process", "pass the type's name, or an enum that selects it"),
        new("System.Reflection", "MemberInfo", 0, UnpicklableCategory.Code, "reflection metadata of this process", "pass the member's name"),
        new("System.Reflection", "Assembly", 0, UnpicklableCategory.Code, "an assembly loaded in this process", "pass the assembly's name"),
        new("System.Reflection", "Module", 0, UnpicklableCategory.Code, "a module loaded in this process", "pass the module's name"),
        new("System.Reflection", "ParameterInfo", 0, UnpicklableCategory.Code, "reflection metadata of this process", "pass the parameter's name"),
        new("System", "Lazy", 1, UnpicklableCategory.Code, "a factory delegate and the state it captures", "pass the value, or create it in the worker"),

        // State that only means something here
        new("System", "WeakReference", 0, UnpicklableCategory.ProcessState, "a reference to an object of this process", "pass the object's data"),
        new("System", "WeakReference", 1, UnpicklableCategory.ProcessState, "a reference to an object of this process", "pass the object's data"),
        new("System", "IServiceProvider", 0, UnpicklableCategory.ProcessState, "a service container of this process", "resolve what the task needs in a [PoolInitializer] method"),
        new("Microsoft.Extensions.Logging", "ILogger", 0, UnpicklableCategory.Resource, "a writer to this process's log providers", "log from the worker with its own logger, created in a [PoolInitializer] method"),
        new("ProcPool", "WorkerPool", 0, UnpicklableCategory.ProcessState, "the pool itself, which lives in the parent process", "submit further work from the parent; a task cannot use the pool it runs in"),
    ];

    private static readonly Dictionary<(string Namespace, string Name, int Arity), Entry> ByName =
        Entries.ToDictionary(e => (e.Namespace, e.Name, e.Arity));

    /// <summary>Why <paramref name="type"/> can never cross a process boundary, or null if the catalogue has nothing against it.</summary>
    public static UnpicklableReason? Find(ITypeSymbol type)
    {
        switch (type)
        {
            case IPointerTypeSymbol:
                return new UnpicklableReason(type.ToDisplayString(), UnpicklableCategory.Pointer, "a pointer into this process's memory", "pass the data it points to (an array)", ShortName(type));
            case IFunctionPointerTypeSymbol:
                return new UnpicklableReason(type.ToDisplayString(), UnpicklableCategory.Pointer, "a pointer to code in this process", CodeAdvice, ShortName(type));
        }
        if (type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
            return new UnpicklableReason(type.ToDisplayString(), UnpicklableCategory.Pointer, "a pointer or handle value, meaningless in another process", "pass the data it refers to", ShortName(type));
        if (type.TypeKind == TypeKind.Delegate)
            return Match(Lookup("System", "Delegate", 0)!, type);
        if (type.IsRefLikeType)
            return new UnpicklableReason(type.ToDisplayString(), UnpicklableCategory.RefStruct, "a ref struct, which lives on this thread's stack", "pass an array (T[]) or ReadOnlyMemory<T> instead", ShortName(type));

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
            if (Lookup(current) is { } entry) return Match(entry, type);
        foreach (var @interface in type.AllInterfaces)
            if (Lookup(@interface) is { } entry) return Match(entry, type);
        return null;
    }

    private static UnpicklableReason Match(Entry entry, ITypeSymbol type) =>
        new(entry.Arity == 0 ? $"{entry.Namespace}.{entry.Name}" : $"{entry.Namespace}.{entry.Name}`{entry.Arity}", entry.Category, entry.Reason, entry.Advice, ShortName(type));

    /// <summary>The type as a reader knows it: <c>StreamWriter</c>, <c>Task&lt;int&gt;</c>, <c>int*</c>.</summary>
    public static string ShortName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    private static Entry? Lookup(INamedTypeSymbol type)
    {
        if (type.ContainingType is not null || type.ContainingNamespace is null) return null;
        return Lookup(type.ContainingNamespace.ToDisplayString(), type.Name, type.Arity);
    }

    private static Entry? Lookup(string ns, string name, int arity) =>
        ByName.TryGetValue((ns, name, arity), out var entry) ? entry : null;

    private sealed record Entry(string Namespace, string Name, int Arity, UnpicklableCategory Category, string Reason, string Advice);
}
