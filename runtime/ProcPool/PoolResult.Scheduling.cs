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

    /// <summary>Writes the call's arguments (after the call header) to a frame.</summary>
    internal abstract void WriteArguments(PoolWriter writer);

    /// <summary>Decodes the result from a worker's result frame and completes the call.</summary>
    internal abstract void SetResultFrom(ref PoolReader reader);
}
