using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool;

/// <summary>
/// The pending result of a task submitted to a <see cref="WorkerPool"/>: Python's <c>AsyncResult</c>.
/// Await it, block on it with <see cref="Get(TimeSpan?)"/> or <see cref="Wait(TimeSpan?)"/>, poll
/// <see cref="IsReady"/>, or turn it into a <see cref="Task"/> with <see cref="AsTask"/>.
/// </summary>
/// <remarks>
/// Continuations of an <c>await</c> run on the thread pool (or the captured <see cref="SynchronizationContext"/>),
/// never on the pool's I/O threads, so slow code after an <c>await</c> cannot delay other results.
/// </remarks>
[DebuggerDisplay("{TaskName,nq}: {DebuggerState,nq}")]
public abstract partial class PoolResult : IThreadPoolWorkItem
{
    private const int StatePending = 0;
    private const int StateCompleting = 1;
    private const int StateSucceeded = 2;
    private const int StateFailed = 3;

    private static readonly object CompletedSentinel = new();

    private int _state;
    private ExceptionDispatchInfo? _error;
    private object? _continuation;
    private Action? _queuedContinuation;
    private object? _waitGate;
    private int _waiters;
    private protected object? _taskSource;

    private protected PoolResult(PoolTaskDescriptor task)
    {
        Task = task;
    }

    internal PoolTaskDescriptor Task { get; }

    /// <summary>The task this result belongs to, as <c>Type.Method</c>.</summary>
    public string TaskName => Task.Name;

    /// <summary>True once the task has finished, successfully or not (Python's <c>ready()</c>).</summary>
    public bool IsReady => Volatile.Read(ref _state) >= StateSucceeded;

    /// <summary>
    /// True if the task finished without an exception (Python's <c>successful()</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The task has not finished yet.</exception>
    public bool IsSuccessful
    {
        get
        {
            int state = Volatile.Read(ref _state);
            if (state < StateSucceeded)
                throw new InvalidOperationException($"The result of {TaskName} is not ready yet; check IsReady or call Wait() first.");
            return state == StateSucceeded;
        }
    }

    /// <summary>The exception the task failed with, or null while it is running or if it succeeded.</summary>
    public Exception? Exception => Volatile.Read(ref _state) == StateFailed ? _error!.SourceException : null;

    private string DebuggerState => Volatile.Read(ref _state) switch
    {
        StateSucceeded => "succeeded",
        StateFailed => "failed: " + _error!.SourceException.Message,
        _ => "pending",
    };

    /// <summary>
    /// Blocks until the task finishes or <paramref name="timeout"/> passes (Python's <c>wait(timeout)</c>).
    /// A timeout here does not stop the task.
    /// </summary>
    /// <returns>True if the task finished.</returns>
    public bool Wait(TimeSpan? timeout = null)
    {
        if (IsReady) return true;
        long timeoutMs = timeout is { } t ? (long)t.TotalMilliseconds : Timeout.Infinite;
        if (timeoutMs < -1) throw new ArgumentOutOfRangeException(nameof(timeout));
        if (timeoutMs == 0) return false;
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        if (SpinUntilReady()) return true;
        var gate = _waitGate ?? Interlocked.CompareExchange(ref _waitGate, new object(), null) ?? _waitGate;
        lock (gate)
        {
            Interlocked.Increment(ref _waiters);
            try
            {
                while (!IsReady)
                {
                    long remaining = deadline == long.MaxValue ? Timeout.Infinite : deadline - Environment.TickCount64;
                    if (remaining != Timeout.Infinite && remaining <= 0) return false;
                    Monitor.Wait(gate, (int)Math.Min(remaining, int.MaxValue));
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
        return true;
    }

    /// <summary>
    /// Spins briefly before <see cref="Wait"/> blocks, as <see cref="ManualResetEventSlim"/> does: a short task's result
    /// often arrives within a few tens of microseconds, and a thread that blocked must be woken (a futex wake, and in a VM
    /// often a sleeping virtual CPU woken by the host), which costs about as much again.
    /// </summary>
    private bool SpinUntilReady()
    {
        if (Environment.ProcessorCount == 1) return IsReady;
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        var spinner = new SpinWait();
        while (!IsReady)
        {
            if (Stopwatch.GetTimestamp() >= until) return false;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    // 50 µs: longer than a short task's round trip (25-40 µs on the development VMs), short enough to be lost in any
    // task that is not short.
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    /// <summary>
    /// Blocks until the task finishes and rethrows its exception, if any (Python's <c>get(timeout)</c> for a
    /// task that returns nothing).
    /// </summary>
    /// <exception cref="TimeoutException">The task did not finish within <paramref name="timeout"/>; it keeps running.</exception>
    public void Get(TimeSpan? timeout = null)
    {
        WaitOrThrowTimeout(timeout);
        ThrowIfFailed();
    }

    /// <summary>A <see cref="System.Threading.Tasks.Task"/> that completes with this result.</summary>
    public Task AsTask() => AsTaskCore();

    private protected virtual Task AsTaskCore()
    {
        if (_taskSource is TaskCompletionSource existing) return existing.Task;
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = Interlocked.CompareExchange(ref _taskSource, source, null);
        if (winner is not null) return ((TaskCompletionSource)winner).Task;
        AddContinuation(new TaskSourceContinuation(this, source));
        return source.Task;
    }

    /// <summary>Lets <c>await</c> wait for the task.</summary>
    public Awaiter GetAwaiter() => new(this);

    private protected void WaitOrThrowTimeout(TimeSpan? timeout)
    {
        if (!Wait(timeout))
            throw new TimeoutException($"{TaskName} did not finish within {timeout!.Value.TotalMilliseconds:0.###} ms; it keeps running in its worker.");
    }

    private protected void ThrowIfFailed()
    {
        if (Volatile.Read(ref _state) == StateFailed) _error!.Throw();
    }

    // ---- completion (called by the scheduler) ----

    /// <summary>Claims the right to complete; false if the result is already completing or complete.</summary>
    private protected bool TryBeginCompletion() => Interlocked.CompareExchange(ref _state, StateCompleting, StatePending) == StatePending;

    private protected void EndCompletion(bool succeeded)
    {
        Volatile.Write(ref _state, succeeded ? StateSucceeded : StateFailed);
        OnCompleted();
        if (Volatile.Read(ref _waiters) > 0)
        {
            var gate = _waitGate!;
            lock (gate) Monitor.PulseAll(gate);
        }
        RunContinuations();
    }

    /// <summary>Fails the task with <paramref name="error"/>; false if it had already finished.</summary>
    internal bool TrySetException(Exception error)
    {
        if (!TryBeginCompletion()) return false;
        _error = ExceptionDispatchInfo.Capture(error);
        EndCompletion(succeeded: false);
        return true;
    }

    /// <summary>Drops the scheduler's cancellation registration once the result is final, and tells derived calls.</summary>
    private void OnCompleted()
    {
        CancellationRegistration.Unregister();
        OnFinal(Volatile.Read(ref _state) == StateSucceeded ? null : _error!.SourceException);
        Scheduler?.OnCallFinal(this);
    }

    /// <summary>Runs once the result is final, before continuations (a map's chunk reports to its map here). Must be quick.</summary>
    private protected virtual void OnFinal(Exception? error) { }

    // ---- continuations ----

    private void AddContinuation(object entry)
    {
        if (Interlocked.CompareExchange(ref _continuation, entry, null) is null) return;
        while (true)
        {
            object? current = Volatile.Read(ref _continuation);
            if (current == CompletedSentinel)
            {
                RunOne(entry, allowInline: false);
                return;
            }
            if (current is ContinuationList list)
            {
                lock (list)
                {
                    if (!list.Closed)
                    {
                        list.Add(entry);
                        return;
                    }
                }
                RunOne(entry, allowInline: false);
                return;
            }
            var grown = new ContinuationList { current!, entry };
            if (Interlocked.CompareExchange(ref _continuation, grown, current) == current) return;
        }
    }

    private void RunContinuations()
    {
        object? continuation = Interlocked.Exchange(ref _continuation, CompletedSentinel);
        if (continuation is null) return;
        if (continuation is ContinuationList list)
        {
            object[] entries;
            lock (list)
            {
                list.Closed = true;
                entries = [.. list];
            }
            foreach (var entry in entries) RunOne(entry, allowInline: false);
            return;
        }
        RunOne(continuation, allowInline: false);
    }

    private void RunOne(object entry, bool allowInline)
    {
        switch (entry)
        {
            case Action action when !allowInline:
                // The common case (one await): queue this object itself, so completing a result allocates nothing.
                if (Interlocked.CompareExchange(ref _queuedContinuation, action, null) is null)
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                else
                    ThreadPool.UnsafeQueueUserWorkItem(static a => a(), action, preferLocal: false);
                break;
            case Action action:
                action();
                break;
            case ContextContinuation context:
                context.Run();
                break;
            case TaskSourceContinuation source:
                source.Complete();
                break;
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        var action = Interlocked.Exchange(ref _queuedContinuation, null);
        action?.Invoke();
    }

    private sealed class ContinuationList : List<object>
    {
        public bool Closed;
    }

    private sealed class ContextContinuation(Action action, SynchronizationContext? context, ExecutionContext? executionContext)
    {
        public void Run()
        {
            if (context is not null)
                context.Post(static s => ((ContextContinuation)s!).RunHere(), this);
            else
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.RunHere(), this, preferLocal: false);
        }

        private void RunHere()
        {
            if (executionContext is null) action();
            else ExecutionContext.Run(executionContext, static a => ((Action)a!)(), action);
        }
    }

    private sealed class TaskSourceContinuation(PoolResult result, object source)
    {
        public void Complete() => result.CompleteTaskSource(source);
    }

    private protected virtual void CompleteTaskSource(object source)
    {
        var tcs = (TaskCompletionSource)source;
        if (Volatile.Read(ref _state) == StateFailed) SetTaskSourceException(tcs, _error!.SourceException);
        else tcs.TrySetResult();
    }

    private protected static void SetTaskSourceException(TaskCompletionSource tcs, Exception error)
    {
        if (error is OperationCanceledException oce) tcs.TrySetCanceled(oce.CancellationToken);
        else tcs.TrySetException(error);
    }

    private protected static void SetTaskSourceException<T>(TaskCompletionSource<T> tcs, Exception error)
    {
        if (error is OperationCanceledException oce) tcs.TrySetCanceled(oce.CancellationToken);
        else tcs.TrySetException(error);
    }

    private protected void RegisterTaskSource(object source) => AddContinuation(new TaskSourceContinuation(this, source));

    private void OnCompletedCore(Action continuation, bool flowExecutionContext)
    {
        var context = SynchronizationContext.Current;
        if (context is not null && context.GetType() == typeof(SynchronizationContext)) context = null;
        var executionContext = flowExecutionContext ? ExecutionContext.Capture() : null;
        AddContinuation(context is null && executionContext is null
            ? continuation
            : new ContextContinuation(continuation, context, executionContext));
    }

    /// <summary>Awaits a <see cref="PoolResult"/>.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly PoolResult _result;

        internal Awaiter(PoolResult result) => _result = result;

        /// <summary>True once the task has finished.</summary>
        public bool IsCompleted => _result.IsReady;

        /// <summary>Rethrows the task's exception, if any.</summary>
        public void GetResult()
        {
            _result.WaitOrThrowTimeout(null);
            _result.ThrowIfFailed();
        }

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => _result.OnCompletedCore(continuation, flowExecutionContext: true);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => _result.OnCompletedCore(continuation, flowExecutionContext: false);
    }

    /// <summary>Gives <see cref="PoolResult{T}"/> access to continuation registration.</summary>
    private protected void OnCompletedForDerived(Action continuation, bool flowExecutionContext) => OnCompletedCore(continuation, flowExecutionContext);
}

/// <summary>
/// The pending result of a task that returns a <typeparamref name="T"/>: Python's <c>AsyncResult</c>, typed.
/// </summary>
/// <typeparam name="T">The task's result type.</typeparam>
public abstract class PoolResult<T> : PoolResult
{
    private T _value = default!;

    private protected PoolResult(PoolTaskDescriptor task) : base(task) { }

    /// <summary>
    /// Blocks until the task finishes and returns its result or rethrows its exception (Python's <c>get(timeout)</c>).
    /// </summary>
    /// <exception cref="TimeoutException">The task did not finish within <paramref name="timeout"/>; it keeps running.</exception>
    /// <exception cref="PoolTaskException">The task threw in its worker.</exception>
    /// <exception cref="WorkerCrashedException">The worker died while running the task.</exception>
    public new T Get(TimeSpan? timeout = null)
    {
        WaitOrThrowTimeout(timeout);
        ThrowIfFailed();
        return _value;
    }

    /// <summary>A <see cref="Task{TResult}"/> that completes with this result.</summary>
    public new Task<T> AsTask()
    {
        if (_taskSource is TaskCompletionSource<T> existing) return existing.Task;
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = Interlocked.CompareExchange(ref _taskSource, source, null);
        if (winner is not null) return ((TaskCompletionSource<T>)winner).Task;
        RegisterTaskSource(source);
        return source.Task;
    }

    private protected override Task AsTaskCore() => AsTask();

    private protected override void CompleteTaskSource(object source)
    {
        var tcs = (TaskCompletionSource<T>)source;
        if (Exception is { } error) SetTaskSourceException(tcs, error);
        else tcs.TrySetResult(_value);
    }

    /// <summary>Lets <c>await</c> wait for the task and return its result.</summary>
    public new Awaiter GetAwaiter() => new(this);

    /// <summary>Completes the task with <paramref name="value"/>; false if it had already finished.</summary>
    internal bool TrySetResult(T value)
    {
        if (!TryBeginCompletion()) return false;
        _value = value;
        EndCompletion(succeeded: true);
        return true;
    }

    /// <summary>Awaits a <see cref="PoolResult{T}"/>.</summary>
    public new readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly PoolResult<T> _result;

        internal Awaiter(PoolResult<T> result) => _result = result;

        /// <summary>True once the task has finished.</summary>
        public bool IsCompleted => _result.IsReady;

        /// <summary>Returns the result or rethrows the task's exception.</summary>
        public T GetResult() => _result.Get();

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => _result.OnCompletedForDerived(continuation, flowExecutionContext: true);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => _result.OnCompletedForDerived(continuation, flowExecutionContext: false);
    }
}
