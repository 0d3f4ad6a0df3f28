using ProcPool.Runtime;

namespace ProcPool;

/// <summary>
/// One task in a fresh worker process of its own: Python's <c>multiprocessing.Process</c>. <c>Start(Tasks.F, a, b)</c>
/// starts the process and submits the call; the process exits when the task is done. <see cref="Pid"/>,
/// <see cref="Name"/>, <see cref="IsAlive"/>, <see cref="Join"/> and <see cref="ExitCode"/> are Python's;
/// <see cref="Outcome"/> says how it ended in words, and <see cref="Result"/> carries what the task returned or threw,
/// which Python's <c>Process</c> cannot.
/// </summary>
/// <remarks>
/// Built on a <see cref="WorkerPool"/> of one worker that is closed as soon as the call is submitted, so it starts and
/// isolates exactly like a pool's worker: the application's own dependencies, a separate heap, no orphans. What the task
/// writes to stdout and stderr goes to this process's stdout and stderr unprefixed, as a Python child's output does.
/// </remarks>
/// <example>
/// <code>
/// var p = WorkerProcess.Start(Tasks.Greet, "world");
/// Console.WriteLine($"{p.Name} is pid {p.Pid}");
/// p.Join();
/// </code>
/// </example>
public partial class WorkerProcess : IAsyncDisposable, IDisposable
{
    private static int s_started;

    private readonly WorkerPool _pool;
    private readonly Task _exited;
    private readonly PoolResult _call;

    private protected WorkerProcess(WorkerPool pool, PoolResult call, int processId)
    {
        _pool = pool;
        _call = call;
        Pid = processId;
        Name = $"WorkerProcess-{Interlocked.Increment(ref s_started)}";
        _exited = pool.JoinAsync();
    }

    internal WorkerProcess(WorkerPool pool, PoolResult<Unit> call, int processId) : this(pool, (PoolResult)call, processId)
    {
    }

    /// <summary>The process id the OS gave the worker (Python's <c>pid</c>).</summary>
    public int Pid { get; }

    /// <summary>A name for messages, <c>WorkerProcess-N</c> unless you set one (Python's <c>name</c>: the OS knows nothing of it).</summary>
    public string Name { get; set; }

    /// <summary>True until the worker process has exited (Python's <c>is_alive()</c>).</summary>
    public bool IsAlive => !_exited.IsCompleted;

    /// <summary>The task's pending outcome: await it, or <c>Get</c> it to rethrow the task's exception here.</summary>
    public PoolResult Result => _call;

    /// <summary>How the process ended, or <see cref="WorkerProcessOutcome.Running"/> (what <see cref="ExitCode"/> says, in words).</summary>
    public WorkerProcessOutcome Outcome
    {
        get
        {
            if (IsAlive || !_call.IsReady) return WorkerProcessOutcome.Running;
            return _call.Exception switch
            {
                null => WorkerProcessOutcome.Succeeded,
                WorkerCrashedException => WorkerProcessOutcome.Crashed,
                OperationCanceledException => WorkerProcessOutcome.Cancelled,
                _ => WorkerProcessOutcome.Failed,
            };
        }
    }

    /// <summary>
    /// Python's <c>exitcode</c>: null while the process runs (or its result is not in yet); 0 when the task returned; 1
    /// when it threw, as for a Python process whose target raised (a cancelled task too); minus the signal number when
    /// the process was killed (-9 after <see cref="Terminate"/>, which kills with SIGKILL where Python sends SIGTERM),
    /// or the code it exited with when it ended itself mid-task. 1 for a death whose status is unknown.
    /// </summary>
    public int? ExitCode => Outcome switch
    {
        WorkerProcessOutcome.Running => null,
        WorkerProcessOutcome.Succeeded => 0,
        WorkerProcessOutcome.Crashed => (_call.Exception as WorkerCrashedException)?.ExitCode ?? 1,
        // .NET kills with SIGKILL on Unix and with TerminateProcess(-1) on Windows.
        WorkerProcessOutcome.Cancelled when Volatile.Read(ref _terminated) => OperatingSystem.IsWindows() ? -1 : -9,
        _ => 1,
    };

    /// <summary>What the task threw (a <see cref="PoolTaskException"/>), why the process died, or null.</summary>
    public Exception? Exception => _call.IsReady ? _call.Exception : null;

    /// <summary>Waits until the process has exited (Python's <c>join(timeout)</c>); false if <paramref name="timeout"/> passed first.</summary>
    public bool Join(TimeSpan? timeout = null) => timeout is { } t ? _exited.Wait(t) : _exited.Wait(Timeout.Infinite);

    /// <summary>Waits, without blocking a thread, until the process has exited.</summary>
    public Task JoinAsync(CancellationToken cancellationToken = default) => _exited.WaitAsync(cancellationToken);

    /// <summary>Kills the process now (Python's <c>terminate()</c>/<c>kill()</c>); the task fails with <see cref="OperationCanceledException"/>.</summary>
    public void Terminate()
    {
        Volatile.Write(ref _terminated, true);
        _pool.Terminate();
    }

    private bool _terminated;

    /// <summary>Kills the process if it is still running and releases what it holds.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    /// <summary>Kills the process if it is still running and releases what it holds.</summary>
    public void Dispose() => _pool.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"<{Name} pid {Pid} {Outcome}>";

    /// <summary>Starts the one-worker pool, submits the call, and closes the pool so the worker exits after it.</summary>
    private protected static async Task<Started<TResult>> StartCore<TArgs, TResult>(PoolTask<TArgs, TResult> task, TArgs arguments, CancellationToken cancellationToken)
        where TArgs : struct
    {
        var options = new PoolOptions
        {
            Workers = 1,
            WorkerOutput = static line => (line.IsError ? Console.Error : Console.Out).WriteLine(line.Line),
        };
        var pool = await WorkerPool.StartAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            int processId = pool.WorkerProcessIds[0];
            var call = pool.Submit(task, in arguments, cancellationToken);
            pool.Close();
            return new Started<TResult>(pool, call, processId);
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected readonly record struct Started<TResult>(WorkerPool Pool, PoolResult<TResult> Call, int ProcessId);
}

/// <summary>A <see cref="WorkerProcess"/> whose task returns a <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">What the task returns.</typeparam>
public sealed class WorkerProcess<TResult> : WorkerProcess
{
    internal WorkerProcess(WorkerPool pool, PoolResult<TResult> call, int processId) : base(pool, call, processId) => Result = call;

    /// <summary>The task's pending result: await it, or <c>Get</c> it (which rethrows the task's exception here).</summary>
    public new PoolResult<TResult> Result { get; }
}

/// <summary>How a <see cref="WorkerProcess"/> ended.</summary>
public enum WorkerProcessOutcome
{
    /// <summary>The process is still running, or its result is not in yet.</summary>
    Running,

    /// <summary>The task returned; the process exited normally (Python's exit code 0).</summary>
    Succeeded,

    /// <summary>The task threw; the exception is in <see cref="WorkerProcess.Exception"/> (Python's exit code 1).</summary>
    Failed,

    /// <summary>The process died while running the task (killed, crashed; Python's negative exit code).</summary>
    Crashed,

    /// <summary>The task was cancelled or the process terminated before it finished.</summary>
    Cancelled,
}
