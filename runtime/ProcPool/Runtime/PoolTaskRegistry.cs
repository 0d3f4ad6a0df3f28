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
    private static readonly PoolTaskTable Table = new();

    /// <summary>Assemblies whose tasks have registered so far; a new worker loads them while it starts.</summary>
    public static IReadOnlyCollection<Assembly> Assemblies => Table.Assemblies;

    /// <summary>Registers an assembly's generated dispatch table. Called by generated module initializers.</summary>
    /// <param name="assembly">The assembly that declares the tasks.</param>
    /// <param name="find">Returns the task with a wire id, or null if the assembly has none with that id.</param>
    /// <param name="entries">Returns every task of the assembly with the delegate that names it in <c>ApplyAsync(Type.Method, ...)</c>.</param>
    public static void Register(Assembly assembly, Func<uint, PoolTaskDescriptor?> find, Func<PoolTaskEntry[]> entries) =>
        Table.Register(assembly, find, entries);

    /// <summary>
    /// Registers a dispatch table in the form generators before protocol version 4 emitted (every descriptor, created at
    /// once), so assemblies built against an earlier ProcPool still load.
    /// </summary>
    public static void Register(Assembly assembly, ReadOnlySpan<PoolTaskEntry> entries) => Table.Register(assembly, entries);

    /// <summary>Finds a task by its wire id, or returns null.</summary>
    /// <exception cref="InvalidOperationException">
    /// Two registered assemblies have a task with this id, or none has it and an assembly's table could not be read.
    /// </exception>
    public static PoolTaskDescriptor? FindById(uint id) => Table.FindById(id);

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
        var descriptor = Table.FindByMethod(task);
        return descriptor as PoolTask<TArgs, TResult>
            ?? throw new ArgumentException(
                $"{descriptor.Name} is a [PoolTask], but the delegate it was passed as ({task.GetType().Name}) does not match its parameter and result types exactly. Call it through the generated stub pool.{task.Method.Name}Async(...) instead.",
                nameof(task));
    }
}
