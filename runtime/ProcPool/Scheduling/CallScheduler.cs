using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProcPool.Hosting;

namespace ProcPool.Scheduling;

/// <summary>
/// Hands calls to workers. A call goes to the least-loaded live worker with room, or waits in a central queue
/// that workers drain as their calls finish. "Room" adapts to the work: a worker keeps about a millisecond of
/// calls queued ahead of the running one, so trivial calls stream back to back while long ones are handed out
/// one at a time (a slow call never strands others behind it while another worker idles).
/// </summary>
internal sealed class CallScheduler : IWorkerOwner
{
    private const int MaxWindow = 128;
    private static readonly double TargetQueuedTicks = Stopwatch.Frequency / 1000.0;

    private readonly object _gate = new();
    private readonly CallQueue _queue = new();
    private readonly List<WorkerConnection> _workers = [];
    private readonly PoolOptions _options;
    private readonly WorkerLaunchPlan _plan;
    private long _nextCallId;
    private int _nextWorkerId;
    private bool _accepting = true;
    private bool _terminated;

    public CallScheduler(PoolOptions options, WorkerLaunchPlan plan)
    {
        _options = options;
        _plan = plan;
    }

    /// <summary>Live workers, for diagnostics and tests.</summary>
    public IReadOnlyList<WorkerConnection> Workers
    {
        get { lock (_gate) return [.. _workers]; }
    }

    public int QueuedCount
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Starts <paramref name="count"/> workers in parallel and returns when all have said hello.</summary>
    public async Task StartAsync(int count, CancellationToken cancellationToken)
    {
        var starting = new List<Task<WorkerConnection>>(count);
        for (int i = 0; i < count; i++) starting.Add(StartWorkerAsync(cancellationToken));
        try
        {
            await Task.WhenAll(starting).ConfigureAwait(false);
        }
        catch
        {
            foreach (var task in starting)
                if (task.IsCompletedSuccessfully) task.Result.Kill();
            throw starting.First(t => t.IsFaulted || t.IsCanceled).Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
        }
        lock (_gate)
        {
            foreach (var task in starting) _workers.Add(task.Result);
        }
    }

    private async Task<WorkerConnection> StartWorkerAsync(CancellationToken cancellationToken)
    {
        int id = Interlocked.Increment(ref _nextWorkerId);
        var worker = WorkerConnection.Start(id, _plan, _options, this);
        await worker.WaitReadyAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
        _options.Logger?.LogDebug("ProcPool worker {WorkerId} started (pid {ProcessId})", worker.Id, worker.ProcessId);
        return worker;
    }

    public void Submit(PoolResult call, CancellationToken cancellationToken)
    {
        call.Scheduler = this;
        call.CallId = Interlocked.Increment(ref _nextCallId);
        if (cancellationToken.CanBeCanceled)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                call.TrySetException(new OperationCanceledException($"{call.TaskName} was cancelled before it was submitted.", cancellationToken));
                return;
            }
            call.CancellationToken = cancellationToken;
        }
        WorkerConnection? target;
        lock (_gate)
        {
            if (!_accepting)
                throw new InvalidOperationException(_terminated
                    ? "The pool has been terminated; it accepts no more work."
                    : "The pool has been closed; it accepts no more work.");
            target = PickWorker();
            if (target is null) _queue.AddLast(call);
            else target.Load++;
        }
        if (cancellationToken.CanBeCanceled)
            call.CancellationRegistration = cancellationToken.UnsafeRegister(static state => ((PoolResult)state!).Scheduler!.Cancel((PoolResult)state!), call);
        if (target is not null) SendAndFill(target, call);
    }

    private WorkerConnection? PickWorker()
    {
        WorkerConnection? best = null;
        foreach (var worker in _workers)
        {
            if (worker.IsLost || worker.IsStopping || worker.Load >= WindowOf(worker)) continue;
            if (best is null || worker.Load < best.Load) best = worker;
        }
        return best;
    }

    private static int WindowOf(WorkerConnection worker)
    {
        double average = worker.AverageServiceTicks;
        if (average < 0) return 1;
        double window = 1 + TargetQueuedTicks / Math.Max(average, 1);
        return window >= MaxWindow ? MaxWindow : (int)window;
    }

    /// <summary>Takes the next queued call for <paramref name="worker"/> if it has room. Call under the lock.</summary>
    private PoolResult? TakeNextFor(WorkerConnection worker)
    {
        if (worker.IsLost || worker.IsStopping || _terminated) return null;
        while (worker.Load < WindowOf(worker) && _queue.TryTakeFirst(out var next))
        {
            if (next.IsReady) continue; // cancelled while queued
            worker.Load++;
            return next;
        }
        return null;
    }

    /// <summary>Sends <paramref name="first"/> (already counted in the worker's load), then whatever else the worker has room for.</summary>
    private void SendAndFill(WorkerConnection worker, PoolResult? first)
    {
        var call = first;
        while (call is not null)
        {
            var outcome = call.IsReady ? WorkerConnection.SendOutcome.Failed : worker.Send(call);
            lock (_gate)
            {
                if (outcome != WorkerConnection.SendOutcome.Sent) worker.Load--;
                if (outcome == WorkerConnection.SendOutcome.WorkerGone)
                {
                    // The worker died between the pick and the send; its loss handler redistributes the queue.
                    _queue.AddFirst(call);
                    return;
                }
                call = TakeNextFor(worker);
            }
        }
    }

    private void FillWorker(WorkerConnection worker)
    {
        PoolResult? next;
        lock (_gate) next = TakeNextFor(worker);
        if (next is not null) SendAndFill(worker, next);
    }

    /// <summary>Cancels a call: removed from the queue if it has not been sent, otherwise cancelled in its worker.</summary>
    public void Cancel(PoolResult call)
    {
        bool removed;
        lock (_gate) removed = _queue.Remove(call);
        var exception = new OperationCanceledException(
            removed ? $"{call.TaskName} was cancelled before it started." : $"{call.TaskName} was cancelled.", call.CancellationToken);
        if (!call.TrySetException(exception) || removed) return;
        // It was sent: ask the worker to cancel it (or skip it, if it has not started there).
        if (call.Worker is { } worker) worker.SendCancel(call.CallId);
    }

    void IWorkerOwner.OnCallFinished(WorkerConnection worker, long serviceTicks)
    {
        lock (_gate)
        {
            worker.Load--;
            worker.CompletedCalls++;
            worker.AverageServiceTicks = worker.AverageServiceTicks < 0 ? serviceTicks : worker.AverageServiceTicks * 0.8 + serviceTicks * 0.2;
        }
        FillWorker(worker);
    }

    void IWorkerOwner.OnWorkerLost(WorkerConnection worker, PoolResult[] inFlight, string exitDescription, IReadOnlyList<string> lastStandardError, Exception? cause)
    {
        bool replace;
        lock (_gate)
        {
            _workers.Remove(worker);
            worker.Load = 0;
            replace = !_terminated && !worker.IsStopping;
            if (!_terminated)
            {
                // Calls queued behind the one it was running never started: send them elsewhere, in order.
                for (int i = inFlight.Length - 1; i >= 1; i--)
                    if (!inFlight[i].IsReady) _queue.AddFirst(inFlight[i]);
            }
        }
        if (_terminated)
        {
            foreach (var call in inFlight) call.TrySetException(Terminated(call));
        }
        else if (inFlight.Length > 0)
        {
            var running = inFlight[0];
            Exception error = cause is PoolProtocolException protocol
                ? new PoolProtocolException($"Worker {worker.Id} (pid {worker.ProcessId}) broke the protocol while running {running.TaskName}: {protocol.Message}", protocol)
                : new WorkerCrashedException(running.TaskName, worker.Id, worker.ProcessId, exitDescription, lastStandardError);
            running.TrySetException(error);
        }
        if (replace)
        {
            _options.Logger?.LogWarning("ProcPool worker {WorkerId} (pid {ProcessId}) died: {Exit}; starting a replacement", worker.Id, worker.ProcessId, exitDescription);
            _ = ReplaceAsync();
        }
        foreach (var other in Workers) FillWorker(other);
    }

    private async Task ReplaceAsync()
    {
        try
        {
            var worker = await StartWorkerAsync(CancellationToken.None).ConfigureAwait(false);
            bool keep;
            lock (_gate)
            {
                keep = !_terminated;
                if (keep) _workers.Add(worker);
            }
            if (keep) FillWorker(worker);
            else worker.Kill();
        }
        catch (Exception e)
        {
            _options.Logger?.LogError(e, "ProcPool could not start a replacement worker");
            List<PoolResult> stranded;
            lock (_gate)
            {
                if (_workers.Count > 0) return;
                stranded = _queue.Drain();
            }
            foreach (var call in stranded)
                call.TrySetException(new InvalidOperationException($"{call.TaskName} could not run: every worker died and a replacement failed to start: {e.Message}", e));
        }
    }

    void IWorkerOwner.OnWorkerOutput(WorkerConnection worker, bool isError, string line)
    {
        if (_options.WorkerOutput is { } sink)
        {
            try
            {
                sink(new WorkerOutputLine(worker.Id, worker.ProcessId, isError, line));
            }
            catch (Exception e)
            {
                _options.Logger?.LogError(e, "PoolOptions.WorkerOutput threw");
            }
            return;
        }
        Console.Error.WriteLine($"[worker {worker.Id}] {line}");
    }

    /// <summary>
    /// Stops accepting work, fails every queued call with <see cref="OperationCanceledException"/>, asks each worker
    /// to exit and kills those still running after <paramref name="grace"/> (their calls fail the same way).
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        List<PoolResult> queued;
        WorkerConnection[] workers;
        lock (_gate)
        {
            _accepting = false;
            _terminated = true;
            queued = _queue.Drain();
            workers = [.. _workers];
        }
        foreach (var call in queued) call.TrySetException(Terminated(call));
        foreach (var worker in workers) worker.RequestShutdown();
        await Task.WhenAll(workers.Select(w => w.StopAsync(grace))).ConfigureAwait(false);
    }

    private static OperationCanceledException Terminated(PoolResult call) =>
        new($"{call.TaskName} did not finish: the pool was terminated.");
}
