using System.ComponentModel;
using System.Reflection;
using ProcPool.Serialization;

namespace ProcPool.Runtime;

/// <summary>
/// What the generator emits for one <see cref="PoolTaskAttribute"/> method: its stable id and name, and the
/// worker-side invoker that decodes the arguments, calls the method directly and encodes the result.
/// Used by generated code; not meant to be written by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class PoolTaskDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">The task's display name, <c>Type.Method</c>.</param>
    /// <param name="id">A stable id computed by the generator from the assembly, type, method and parameter types.</param>
    protected PoolTaskDescriptor(string name, uint id)
    {
        Name = name;
        Id = id;
    }

    /// <summary>The task's display name, <c>Type.Method</c>.</summary>
    public string Name { get; }

    /// <summary>The id that travels on the wire.</summary>
    public uint Id { get; }

    /// <summary>The assembly that declares the task (the generator puts the descriptor beside it); workers load it before the first call.</summary>
    public Assembly Assembly => _assembly ??= GetType().Assembly;

    private Assembly? _assembly;

    /// <summary>True if the method takes a <see cref="CancellationToken"/> that the pool cancels in the worker.</summary>
    public virtual bool TakesCancellationToken => false;

    /// <summary>
    /// Worker side: reads the arguments from <paramref name="arguments"/>, runs the method and writes its result to
    /// <paramref name="result"/>. Returns a completed <see cref="ValueTask"/> for synchronous methods.
    /// </summary>
    public abstract ValueTask Invoke(ref PoolReader arguments, PoolWriter result, CancellationToken cancellationToken);
}

/// <summary>
/// A task whose arguments travel as <typeparamref name="TArgs"/> (a value tuple of the parameters) and whose
/// result is a <typeparamref name="TResult"/> (<see cref="Unit"/> for methods returning nothing).
/// Used by generated code; not meant to be written by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class PoolTask<TArgs, TResult> : PoolTaskDescriptor
    where TArgs : struct
{
    /// <summary>Creates a descriptor.</summary>
    protected PoolTask(string name, uint id) : base(name, id) { }

    /// <summary>Parent side: writes the arguments (all but <see cref="CancellationToken"/> parameters).</summary>
    public abstract void WriteArguments(PoolWriter writer, in TArgs arguments);

    /// <summary>Parent side: reads the result a worker sent.</summary>
    public abstract TResult ReadResult(ref PoolReader reader);

    /// <summary>The <see cref="CancellationToken"/> argument of the call, if the method takes one.</summary>
    public virtual CancellationToken GetCancellationToken(in TArgs arguments) => default;
}

/// <summary>The result type of a task that returns nothing (<c>void</c>, <see cref="Task"/>, <see cref="ValueTask"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Unit : IEquatable<Unit>
{
    /// <inheritdoc />
    public bool Equals(Unit other) => true;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Unit;

    /// <inheritdoc />
    public override int GetHashCode() => 0;
}

/// <summary>One entry of a generated dispatch table: a task and a delegate to its method (the lookup key for <c>ApplyAsync(Type.Method, ...)</c>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct PoolTaskEntry(PoolTaskDescriptor Task, Delegate? Method);
