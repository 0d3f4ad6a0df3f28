using ProcPool.Hosting;
using ProcPool.Serialization;

namespace ProcPool;

// What the scheduler keeps on each call. It lives on the result object itself so a submission is one allocation.
public abstract partial class PoolResult
{
    internal long CallId;
    internal int Attempts;

    /// <summary>Links of the pool's intrusive queue of calls not yet sent to a worker.</summary>
    internal PoolResult? QueuePrevious;
    internal PoolResult? QueueNext;
    internal bool IsQueued;

    private int _completedByWorkerId;
    private int _completedByProcessId;

    /// <summary>The pool's number for the worker that ran the task, once it has finished there; null before.</summary>
    public int? WorkerId => _completedByWorkerId == 0 ? null : _completedByWorkerId;

    /// <summary>The process id of the worker that ran the task, once it has finished there; null before.</summary>
    public int? WorkerProcessId => _completedByProcessId == 0 ? null : _completedByProcessId;

    /// <summary>Records which worker answered, before the result is published.</summary>
    internal void SetCompletedBy(int workerId, int processId)
    {
        _completedByWorkerId = workerId;
        _completedByProcessId = processId;
    }

    /// <summary>The worker the call was last sent to (while in flight).</summary>
    internal WorkerConnection? Worker;

    /// <summary>When the call became the one its worker runs (<see cref="System.Diagnostics.Stopwatch"/> ticks), 0 while queued behind another.</summary>
    internal long StartedTimestamp;

    /// <summary>The scheduler that holds the call, for its cancellation callback.</summary>
    internal Scheduling.CallScheduler? Scheduler;

    internal CancellationToken CancellationToken;
    internal CancellationTokenRegistration CancellationRegistration;

    /// <summary>The worker has answered this call (so it is no longer running there, even if it was cancelled here first).</summary>
    internal volatile bool WorkerAnswered;

    /// <summary>How long the call may run in its worker before the worker is killed; null for no limit.</summary>
    internal TimeSpan? RunTimeout;

    /// <summary>When a cancel was sent to the worker running this call (stopwatch ticks), 0 if none; starts the grace period.</summary>
    internal long CancelRequestedTimestamp;

    /// <summary>
    /// Limits how long this call may run in its worker, counted from when it starts there (the time it waits in the
    /// queue does not count). Past it the call fails with <see cref="TimeoutException"/> and its worker is killed
    /// and replaced, so a runaway task cannot hold a worker forever. Overrides <see cref="PoolOptions.TaskTimeout"/>.
    /// Unlike <see cref="Get(TimeSpan?)"/>, whose timeout only stops waiting.
    /// </summary>
    /// <returns>This result, for chaining: <c>pool.WorkAsync(x).WithTimeout(TimeSpan.FromSeconds(5))</c>.</returns>
    public PoolResult WithTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        RunTimeout = timeout;
        Scheduler?.EnsureWatchdog();
        return this;
    }

    /// <summary>The frame that carries the call: one call, or a chunk of a map.</summary>
    internal virtual Protocol.FrameKind RequestKind => Protocol.FrameKind.Call;

    /// <summary>Items the call carries (a chunk carries many); timeouts scale with it.</summary>
    internal virtual int ItemCount => 1;

    /// <summary>Writes the call's arguments (after the call header) to a frame.</summary>
    internal abstract void WriteArguments(PoolWriter writer);

    /// <summary>Decodes the result from a worker's result frame and completes the call.</summary>
    internal abstract void SetResultFrom(ref PoolReader reader);
}
