using System.ComponentModel;
using ProcPool.Hosting;
using ProcPool.Runtime;
using ProcPool.Scheduling;

namespace ProcPool;

/// <summary>
/// A pool of worker processes that run <see cref="PoolTaskAttribute"/> methods: .NET's <c>multiprocessing.Pool</c>.
/// Start one with <see cref="StartAsync"/>, submit calls through the generated stubs (<c>pool.MyTaskAsync(...)</c>)
/// or <c>ApplyAsync(MyTasks.MyTask, ...)</c>, and dispose it to stop the workers.
/// </summary>
/// <example>
/// <code>
/// await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
/// PoolResult&lt;double&gt; a = pool.ApplyAsync(PiTasks.PartialPi, 1L, n / 2);
/// PoolResult&lt;double&gt; b = pool.PartialPiAsync(n / 2 + 1, n);
/// double pi = await a + await b;
/// </code>
/// </example>
public sealed partial class WorkerPool : IAsyncDisposable, IDisposable
{
    private readonly CallScheduler _scheduler;
    private int _disposed;

    private WorkerPool(PoolOptions options, CallScheduler scheduler)
    {
        Options = options;
        _scheduler = scheduler;
    }

    /// <summary>The options the pool was started with.</summary>
    public PoolOptions Options { get; }

    /// <summary>Process ids of the live workers.</summary>
    public IReadOnlyList<int> WorkerProcessIds => [.. _scheduler.Workers.Select(w => w.ProcessId)];

    /// <summary>Calls waiting for a free worker.</summary>
    public int QueuedCount => _scheduler.QueuedCount;

    internal CallScheduler Scheduler => _scheduler;

    /// <summary>
    /// Starts <see cref="PoolOptions.Workers"/> worker processes in parallel and returns once every one is ready.
    /// </summary>
    /// <exception cref="TimeoutException">A worker did not come up within <see cref="PoolOptions.StartTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">A worker could not be started; the message says why.</exception>
    public static async Task<WorkerPool> StartAsync(PoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PoolOptions();
        options.Validate();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ProcPool's wire format assumes a little-endian machine.");
        if (options.Mode == PoolMode.InProcess) throw new NotSupportedException("PoolMode.InProcess is not available yet.");
        var plan = WorkerLaunchPlan.Resolve(options);
        var scheduler = new CallScheduler(options, plan);
        await scheduler.StartAsync(options.Workers, cancellationToken).ConfigureAwait(false);
        return new WorkerPool(options, scheduler);
    }

    /// <summary>Starts a pool and blocks until it is ready; see <see cref="StartAsync"/>.</summary>
    public static WorkerPool Start(PoolOptions? options = null) => StartAsync(options).GetAwaiter().GetResult();

    /// <summary>
    /// Submits one call of a task. Used by the generated stubs; call those, or <c>ApplyAsync</c>, instead.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public PoolResult<TResult> Submit<TArgs, TResult>(PoolTask<TArgs, TResult> task, in TArgs arguments, CancellationToken cancellationToken = default)
        where TArgs : struct
    {
        ArgumentNullException.ThrowIfNull(task);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var call = new PoolCall<TArgs, TResult>(task, in arguments);
        var token = CombineTokens(task.GetCancellationToken(in arguments), cancellationToken, out var linked);
        _scheduler.Submit(call, token);
        if (linked is not null) _ = call.AsTask().ContinueWith(static (_, s) => ((CancellationTokenSource)s!).Dispose(), linked, TaskScheduler.Default);
        return call;
    }

    private static CancellationToken CombineTokens(CancellationToken argument, CancellationToken call, out CancellationTokenSource? linked)
    {
        linked = null;
        if (!argument.CanBeCanceled) return call;
        if (!call.CanBeCanceled || argument == call) return argument;
        linked = CancellationTokenSource.CreateLinkedTokenSource(argument, call);
        return linked.Token;
    }

    /// <summary>
    /// Stops the pool: queued calls and calls still running after a short grace period fail with
    /// <see cref="OperationCanceledException"/>, and every worker process exits (killed if it must be). Like leaving
    /// Python's <c>with Pool() as p:</c> block, which terminates the pool.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _scheduler.TerminateAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }

    /// <summary>Stops the pool and blocks until the workers are gone; see <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
