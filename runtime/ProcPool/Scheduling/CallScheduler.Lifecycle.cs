using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProcPool.Hosting;

namespace ProcPool.Scheduling;

// Close / Terminate / Join, and the watchdog that enforces timeouts and cancel grace periods.
internal sealed partial class CallScheduler
{
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMilliseconds(20);
    private readonly Timer _watchdog;
    private int _watchdogStarted;
    private int _gracefulStopStarted;

    /// <summary>Python's <c>close()</c>: no new work; what was submitted runs to the end, then the workers exit.</summary>
    public void Close()
    {
        bool drained;
        lock (_gate)
        {
            if (_state != State.Running) return;
            _state = State.Closed;
            // A full fence between writing the state and reading the count (see _outstanding).
            drained = Interlocked.CompareExchange(ref _outstanding, 0, 0) == 0;
        }
        if (drained) BeginGracefulStop();
    }

    /// <summary>
    /// Python's <c>terminate()</c>: stops every worker now. Queued calls and calls still running fail with
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Terminate()
    {
        List<PoolResult> queued;
        WorkerConnection[] workers;
        lock (_gate)
        {
            if (_state == State.Terminated) return;
            _state = State.Terminated;
            queued = _queue.Drain();
            workers = [.. _allWorkers];
            _workers.Clear();
        }
        foreach (var call in queued) call.TrySetException(Terminated(call));
        foreach (var worker in workers) worker.Kill();
        CheckStopped();
    }

    /// <summary>
    /// Python's <c>join()</c>: waits until every worker has exited. Only after <see cref="Close"/> or
    /// <see cref="Terminate"/>, as in Python; otherwise it would wait forever.
    /// </summary>
    public Task JoinAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state == State.Running)
                throw new InvalidOperationException("Join waits for the workers to exit, which they only do after Close() or Terminate(); call one of them first (as with Python's Pool.join).");
        }
        CheckStopped();
        return _stopped.Task.WaitAsync(cancellationToken);
    }

    /// <summary>True once the pool is closed or terminated and every worker has exited.</summary>
    public bool IsStopped => _stopped.Task.IsCompleted;

    private void BeginGracefulStop()
    {
        if (Interlocked.Exchange(ref _gracefulStopStarted, 1) != 0) return;
        WorkerConnection[] workers;
        lock (_gate)
        {
            workers = [.. _workers];
            _workers.Clear();
        }
        foreach (var worker in workers) worker.RequestShutdown();
        _ = Task.WhenAll(workers.Select(w => w.StopAsync(TimeSpan.FromSeconds(30)))).ContinueWith(_ => CheckStopped(), TaskScheduler.Default);
        CheckStopped();
    }

    /// <summary>Completes <see cref="JoinAsync"/> once the pool is closed or terminated and no worker is left.</summary>
    private void CheckStopped()
    {
        lock (_gate)
        {
            if (_state == State.Running) return;
            if (_state == State.Closed && (Volatile.Read(ref _outstanding) > 0 || _queue.Count > 0)) return;
            if (_allWorkers.Any(w => !w.IsSettled)) return;
            if (Volatile.Read(ref _replacing) > 0 && _state != State.Terminated) return;
        }
        _watchdog.Change(Timeout.Infinite, Timeout.Infinite);
        _stopped.TrySetResult();
    }

    private void OnWorkerGone(WorkerConnection worker)
    {
        lock (_gate) _allWorkers.Remove(worker);
    }

    // ---------------------------------------------------------------- watchdog

    /// <summary>Starts the 20 ms watchdog the first time a call has a deadline or a pending cancel.</summary>
    internal void EnsureWatchdog()
    {
        if (Interlocked.Exchange(ref _watchdogStarted, 1) == 0) _watchdog.Change(WatchdogPeriod, WatchdogPeriod);
    }

    private void CheckDeadlines()
    {
        long now = Stopwatch.GetTimestamp();
        WorkerConnection[] workers;
        lock (_gate) workers = [.. _allWorkers];
        foreach (var worker in workers)
        {
            if (worker.IsLost) continue;
            var running = worker.RunningCall;
            if (running is null || running.StartedTimestamp == 0 || running.WorkerAnswered) continue;
            var elapsed = Stopwatch.GetElapsedTime(running.StartedTimestamp, now);
            if (!running.IsReady && running.RunTimeout is { } timeout && elapsed > timeout * Math.Max(running.ItemCount, 1))
            {
                var limit = timeout * Math.Max(running.ItemCount, 1);
                if (running.TrySetException(new TimeoutException(
                        $"{running.TaskName} ran longer than its timeout of {limit.TotalMilliseconds:0.###} ms in worker {worker.Id} (pid {worker.ProcessId}); the worker was killed and is being replaced.")))
                {
                    _logger?.LogWarning("ProcPool killed worker {WorkerId}: {Task} overran its timeout", worker.Id, running.TaskName);
                    worker.Kill(stopping: false);
                }
            }
            else if (running.CancelRequestedTimestamp != 0 && Stopwatch.GetElapsedTime(running.CancelRequestedTimestamp, now) > _options.CancelGracePeriod)
            {
                _logger?.LogWarning("ProcPool killed worker {WorkerId}: {Task} ignored its cancellation for {Grace}", worker.Id, running.TaskName, _options.CancelGracePeriod);
                running.CancelRequestedTimestamp = 0;
                worker.Kill(stopping: false);
            }
        }
    }
}
