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

    /// <summary>Process ids of the live workers (all this process's id in <see cref="PoolMode.InProcess"/>).</summary>
    public IReadOnlyList<int> WorkerProcessIds => [.. _scheduler.Workers.Select(w => w.ProcessId)];

    /// <summary>Calls waiting for a free worker.</summary>
    public int QueuedCount => _scheduler.QueuedCount;

    /// <summary>True until <see cref="Close"/>, <see cref="Terminate"/> or disposal: the pool takes new work.</summary>
    public bool IsAcceptingWork => _scheduler.IsAccepting && Volatile.Read(ref _disposed) == 0;

    internal CallScheduler Scheduler => _scheduler;

    /// <summary>
    /// Starts <see cref="PoolOptions.Workers"/> worker processes in parallel and returns once every one is up (and has run
    /// <see cref="PoolOptions.Initializer"/>, if set). Each worker then loads the assemblies whose tasks this process has
    /// registered before it runs a call; calls made meanwhile wait for it in the worker's pipe, their timeouts not yet
    /// running.
    /// </summary>
    /// <exception cref="TimeoutException">A worker did not come up within <see cref="PoolOptions.StartTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">A worker could not be started; the message says why.</exception>
    /// <exception cref="PoolTaskException">The initializer threw in a worker; no worker is left running.</exception>
    /// <exception cref="ArgumentException">The options are invalid (for example both <see cref="PoolOptions.WorkerExecutable"/> and <see cref="PoolOptions.WorkerHostPath"/> are set).</exception>
    /// <exception cref="FileNotFoundException">The worker host or <see cref="PoolOptions.WorkerExecutable"/> does not exist.</exception>
    /// <exception cref="PlatformNotSupportedException">A NativeAOT application that is not its own worker (see <see cref="Hosting.WorkerEntryPoint.TryRun"/>) and names no <see cref="PoolOptions.WorkerExecutable"/>.</exception>
    public static async Task<WorkerPool> StartAsync(PoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PoolOptions();
        options.Validate();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ProcPool's wire format assumes a little-endian machine.");
        Func<int, Action<string?, bool>, WorkerProcessHandle> launch;
        if (options.Mode == PoolMode.InProcess)
        {
            launch = (id, _) => InProcessWorker.Start(id, options);
        }
        else
        {
            var plan = WorkerLaunchPlan.Resolve(options);
            launch = (id, output) => OsWorkerProcess.Start(id, plan, options, output);
        }
        var scheduler = new CallScheduler(options, launch);
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
        ThrowIfDisposed();
        var call = new PoolCall<TArgs, TResult>(task, in arguments);
        var token = CombineTokens(task.GetCancellationToken(in arguments), cancellationToken, out var linked);
        _scheduler.Submit(call, token);
        if (linked is not null) _ = call.AsTask().ContinueWith(static (_, s) => ((CancellationTokenSource)s!).Dispose(), linked, TaskScheduler.Default);
        return call;
    }

    /// <summary>Submits a call whose caller blocks for the result: the caller writes the frame itself (no writer wake-up).</summary>
    private static TResult SubmitToWaitFor<TResult>(Func<TResult> submit) => WorkerConnection.SendFromCaller(submit);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static CancellationToken CombineTokens(CancellationToken argument, CancellationToken call, out CancellationTokenSource? linked)
    {
        linked = null;
        if (!argument.CanBeCanceled) return call;
        if (!call.CanBeCanceled || argument == call) return argument;
        linked = CancellationTokenSource.CreateLinkedTokenSource(argument, call);
        return linked.Token;
    }

    /// <summary>
    /// Python's <c>close()</c>: the pool takes no more work (submitting throws <see cref="InvalidOperationException"/>);
    /// everything already submitted, including maps still feeding chunks, runs to the end, then the workers exit.
    /// Wait for that with <see cref="JoinAsync"/>.
    /// </summary>
    public void Close() => _scheduler.Close();

    /// <summary>
    /// Python's <c>terminate()</c>: kills every worker now. Queued calls and calls still running fail with
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Terminate() => _scheduler.Terminate();

    /// <summary>
    /// Python's <c>join()</c>: waits until every worker has exited, which happens after <see cref="Close"/> (once the
    /// submitted work is done) or <see cref="Terminate"/>. A worker that died meanwhile does not make it hang.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither <see cref="Close"/> nor <see cref="Terminate"/> was called.</exception>
    public Task JoinAsync(CancellationToken cancellationToken = default) => _scheduler.JoinAsync(cancellationToken);

    /// <summary>Blocking <see cref="JoinAsync"/>; returns false if <paramref name="timeout"/> passed first.</summary>
    public bool Join(TimeSpan? timeout = null)
    {
        var join = _scheduler.JoinAsync(CancellationToken.None);
        return timeout is { } t ? join.Wait(t) : join.Wait(Timeout.Infinite);
    }

    /// <summary>
    /// Stops the pool: <see cref="Terminate"/>, then waits for the workers to exit. Like leaving Python's
    /// <c>with Pool() as p:</c> block, which terminates. Disposal must be prompt and must not hang on a runaway
    /// task; to let submitted work finish first, call <see cref="Close"/> and await <see cref="JoinAsync"/> before
    /// disposing (then there is nothing left to terminate).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _scheduler.Terminate();
        await _scheduler.JoinAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    /// <summary>Stops the pool and blocks until the workers are gone; see <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
