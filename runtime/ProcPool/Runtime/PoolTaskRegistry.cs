using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ProcPool.Runtime;

/// <summary>
/// The process-wide table of tasks. Each assembly with <see cref="PoolTaskAttribute"/> methods registers its
/// generated dispatch table from a module initializer; the parent looks tasks up by method, the worker by id.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PoolTaskRegistry
{
    private static readonly ConcurrentDictionary<uint, PoolTaskDescriptor> ById = new();
    private static readonly ConcurrentDictionary<MethodInfo, PoolTaskDescriptor> ByMethod = new();

    /// <summary>
    /// Delegates registered but not yet in <see cref="ByMethod"/>. Reading a delegate's method is reflection, and only
    /// the parent needs the method-to-task map (a worker looks tasks up by id), so it is built on the first lookup.
    /// </summary>
    private static readonly ConcurrentQueue<(Delegate Method, PoolTaskDescriptor Task)> Unindexed = new();
    private static readonly ConcurrentDictionary<uint, string> Collisions = new();
    private static readonly ConcurrentDictionary<Assembly, bool> RegisteredAssemblies = new();

    /// <summary>Assemblies whose tasks have registered so far; a new worker loads them while it starts.</summary>
    public static IReadOnlyCollection<Assembly> Assemblies => [.. RegisteredAssemblies.Keys];

    /// <summary>Registers an assembly's generated dispatch table. Called by generated module initializers.</summary>
    public static void Register(Assembly assembly, ReadOnlySpan<PoolTaskEntry> entries)
    {
        RegisteredAssemblies.TryAdd(assembly, true);
        foreach (var entry in entries)
        {
            var task = entry.Task;
            task.Assembly = assembly;
            var existing = ById.GetOrAdd(task.Id, task);
            if (!ReferenceEquals(existing, task) && existing.GetType() != task.GetType())
                Collisions[task.Id] = $"{existing.Name} ({existing.Assembly?.GetName().Name}) and {task.Name} ({assembly.GetName().Name})";
            if (entry.Method is { } method) Unindexed.Enqueue((method, task));
        }
    }

    /// <summary>Finds a task by its wire id, or returns null.</summary>
    public static PoolTaskDescriptor? FindById(uint id)
    {
        if (Collisions.TryGetValue(id, out var both))
            throw new InvalidOperationException($"Two tasks share the id 0x{id:x8}: {both}. Rename one of them.");
        return ById.GetValueOrDefault(id);
    }

    /// <summary>Runs the module initializer of <paramref name="assembly"/> so that its tasks register.</summary>
    public static void EnsureRegistered(Assembly assembly) => RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

    /// <summary>
    /// Finds the task behind a method group passed to <c>ApplyAsync</c>/<c>Apply</c>, typed as the call site sees it.
    /// </summary>
    /// <exception cref="ArgumentException">The delegate is not a <see cref="PoolTaskAttribute"/> method, or its signature differs.</exception>
    public static PoolTask<TArgs, TResult> Resolve<TArgs, TResult>(Delegate task)
        where TArgs : struct
    {
        ArgumentNullException.ThrowIfNull(task);
        var descriptor = Find(task);
        return descriptor as PoolTask<TArgs, TResult>
            ?? throw new ArgumentException(
                $"{descriptor.Name} is a [PoolTask], but the delegate it was passed as ({task.GetType().Name}) does not match its parameter and result types exactly. Call it through the generated stub pool.{task.Method.Name}Async(...) instead.",
                nameof(task));
    }

    private static PoolTaskDescriptor Find(Delegate task)
    {
        var method = task.Method;
        if (ByMethod.TryGetValue(method, out var found)) return found;
        IndexRegisteredDelegates();
        if (ByMethod.TryGetValue(method, out found)) return found;
        // The declaring assembly's module initializer may not have run yet if nothing else in it was touched.
        RuntimeHelpers.RunModuleConstructor(method.Module.ModuleHandle);
        IndexRegisteredDelegates();
        if (ByMethod.TryGetValue(method, out found)) return found;
        throw new ArgumentException(DescribeMissing(task, method), nameof(task));
    }

    private static void IndexRegisteredDelegates()
    {
        while (Unindexed.TryDequeue(out var registered)) ByMethod.TryAdd(registered.Method.Method, registered.Task);
    }

    private static string DescribeMissing(Delegate task, MethodInfo method)
    {
        string name = $"{method.DeclaringType?.Name}.{method.Name}";
        if (method.Name.Contains('<') || task.Target is not null && method.DeclaringType?.IsDefined(typeof(CompilerGeneratedAttribute)) == true)
            return $"A lambda or local function ({name}) cannot run in a worker process: lambdas capture state. Move the body into a static method marked [PoolTask].";
        if (!method.IsStatic)
            return $"{name} is an instance method; a worker process has no instance to call it on. Make it static and mark it [PoolTask].";
        return $"{name} is not a [PoolTask] method. Mark it with [ProcPool.PoolTask] (and make sure the ProcPool generator runs in its project).";
    }
}
