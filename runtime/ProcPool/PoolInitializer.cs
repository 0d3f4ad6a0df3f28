using ProcPool.Runtime;

namespace ProcPool;

/// <summary>
/// A <see cref="PoolInitializerAttribute"/> method and its arguments, for <see cref="PoolOptions.Initializer"/>:
/// Python's <c>Pool(initializer=f, initargs=(...))</c>. Every worker runs it once before its first task (and every
/// replacement worker too), so it is the place to build per-worker state such as a connection or a native handle.
/// If it throws in a starting pool, <see cref="WorkerPool.StartAsync"/> fails with the worker's exception.
/// </summary>
/// <example><code>
/// var options = new PoolOptions { Initializer = PoolInitializer.Create(Db.Connect, "Server=db;Database=app") };
/// </code></example>
public sealed partial class PoolInitializer
{
    private readonly Func<PoolResult> _createCall;

    private PoolInitializer(string name, Func<PoolResult> createCall)
    {
        Name = name;
        _createCall = createCall;
    }

    /// <summary>The initializer's name, <c>Type.Method</c>.</summary>
    public string Name { get; }

    /// <summary>A fresh call of the initializer, for one worker.</summary>
    internal PoolResult CreateCall() => _createCall();

    private static PoolInitializer From<TArgs>(Delegate initializer, TArgs arguments)
        where TArgs : struct
    {
        var task = PoolTaskRegistry.Resolve<TArgs, Unit>(initializer);
        return new PoolInitializer(task.Name, () => new PoolCall<TArgs, Unit>(task, in arguments));
    }
}
