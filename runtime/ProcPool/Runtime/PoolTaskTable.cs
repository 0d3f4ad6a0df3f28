using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ProcPool.Runtime;

/// <summary>
/// The registrations behind <see cref="PoolTaskRegistry"/>. A registration is two delegates, not the tasks
/// themselves: a worker creates only the descriptors of the tasks it runs, so before its first answer it compiles
/// nothing for the others, and the parent builds its method-to-task map only when a call first names a task by its
/// method group.
/// </summary>
internal sealed class PoolTaskTable
{
    private readonly object _gate = new();
    // Copied on write, so lookups by id (one per call in a worker) read it without a lock.
    private Registration[] _registrations = [];
    private ConcurrentDictionary<MethodInfo, PoolTaskDescriptor>? _byMethod;
    private int _indexed;
    private string? _unreadable;

    public IReadOnlyCollection<Assembly> Assemblies
    {
        get
        {
            var registrations = Volatile.Read(ref _registrations);
            var assemblies = new Assembly[registrations.Length];
            for (int i = 0; i < registrations.Length; i++) assemblies[i] = registrations[i].Assembly;
            return assemblies;
        }
    }

    /// <summary>Adds an assembly's dispatch table; a second registration of the same assembly is ignored.</summary>
    public void Register(Assembly assembly, Func<uint, PoolTaskDescriptor?> find, Func<PoolTaskEntry[]> entries)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            var current = _registrations;
            foreach (var registration in current)
                if (registration.Assembly == assembly) return;
            var next = new Registration[current.Length + 1];
            Array.Copy(current, next, current.Length);
            next[^1] = new Registration(assembly, find, entries);
            Volatile.Write(ref _registrations, next);
        }
    }

    /// <summary>Adds a table in the form earlier generators emitted: every task, already created.</summary>
    public void Register(Assembly assembly, ReadOnlySpan<PoolTaskEntry> entries)
    {
        var all = entries.ToArray();
        var byId = new Dictionary<uint, PoolTaskDescriptor>(all.Length);
        foreach (var entry in all) byId.TryAdd(entry.Task.Id, entry.Task);
        Register(assembly, id => byId.GetValueOrDefault(id), () => all);
    }

    /// <summary>
    /// The task with this wire id, or null. Throws <see cref="InvalidOperationException"/> if two assemblies have one with
    /// this id, or if none has it and an assembly's table could not be read (a type it names does not load), saying so.
    /// </summary>
    public PoolTaskDescriptor? FindById(uint id)
    {
        PoolTaskDescriptor? found = null;
        string? broken = null;
        foreach (var registration in Volatile.Read(ref _registrations))
        {
            PoolTaskDescriptor? task;
            try
            {
                task = registration.Find(id);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                // One assembly whose table cannot be compiled or whose task type does not load must not take the
                // other assemblies' tasks down with it.
                broken ??= $"the task table of {registration.Assembly.GetName().Name} could not be read: {e.GetType().Name}: {e.Message}";
                continue;
            }
            if (task is null) continue;
            if (found is null) found = task;
            else if (found.GetType() != task.GetType())
                throw new InvalidOperationException(
                    $"Two tasks share the id 0x{id:x8}: {found.Name} ({found.Assembly.GetName().Name}) and {task.Name} ({task.Assembly.GetName().Name}). Rename one of them.");
        }
        if (found is null && broken is not null)
            throw new InvalidOperationException($"No task with id 0x{id:x8} was found, and {broken}");
        return found;
    }

    /// <summary>The task behind a method group; throws <see cref="ArgumentException"/> saying why there is none.</summary>
    public PoolTaskDescriptor FindByMethod(Delegate task)
    {
        var method = task.Method;
        var byMethod = Volatile.Read(ref _byMethod)
            ?? Interlocked.CompareExchange(ref _byMethod, new ConcurrentDictionary<MethodInfo, PoolTaskDescriptor>(), null)
            ?? _byMethod;
        if (byMethod.TryGetValue(method, out var found)) return found;
        CatchUp(byMethod);
        if (byMethod.TryGetValue(method, out found)) return found;
        // The declaring assembly's module initializer may not have run yet if nothing else in it was touched.
        RuntimeHelpers.RunModuleConstructor(method.Module.ModuleHandle);
        CatchUp(byMethod);
        if (byMethod.TryGetValue(method, out found)) return found;
        throw new ArgumentException(DescribeMissing(task, method) + Volatile.Read(ref _unreadable), nameof(task));
    }

    private void CatchUp(ConcurrentDictionary<MethodInfo, PoolTaskDescriptor> byMethod)
    {
        lock (_gate)
        {
            var registrations = _registrations;
            for (; _indexed < registrations.Length; _indexed++)
            {
                PoolTaskEntry[] entries;
                try
                {
                    entries = registrations[_indexed].Entries();
                }
                catch (Exception e)
                {
                    // Its tasks stay unknown by method; the others must not.
                    _unreadable = $" The task table of {registrations[_indexed].Assembly.GetName().Name} could not be read: {e.GetType().Name}: {e.Message}";
                    continue;
                }
                foreach (var entry in entries)
                    if (entry.Method is { } method) byMethod.TryAdd(method.Method, entry.Task);
            }
        }
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

    private sealed class Registration(Assembly assembly, Func<uint, PoolTaskDescriptor?> find, Func<PoolTaskEntry[]> entries)
    {
        public Assembly Assembly { get; } = assembly;
        public Func<uint, PoolTaskDescriptor?> Find { get; } = find;
        public Func<PoolTaskEntry[]> Entries { get; } = entries;
    }
}
