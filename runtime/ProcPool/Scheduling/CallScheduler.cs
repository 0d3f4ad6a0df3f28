using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProcPool.Hosting;

namespace ProcPool.Scheduling;

/// <summary>
/// Hands calls to workers and keeps the pool whole. A call goes to the least-loaded live worker with room, or waits
/// in a central queue that workers drain as their calls finish. "Room" adapts to the work: a worker keeps about a
/// millisecond of calls queued ahead of the running one, so trivial calls stream back to back while long ones are
/// handed out one at a time (a slow call never strands others behind it while another worker idles).
/// It also replaces workers that die, retire (<see cref="PoolOptions.MaxTasksPerWorker"/>) or overrun a timeout,
/// and drives the pool's lifecycle: close, terminate, join.
/// </summary>
internal sealed partial class CallScheduler : IWorkerOwner
{
    private const int MaxWindow = 128;
    private const int MaxSpawnAttempts = 5;
    private static readonly double TargetQueuedTicks = Stopwatch.Frequency / 1000.0;

    private readonly object _gate = new();
    private readonly CallQueue _queue = new();
    private readonly List<WorkerConnection> _workers = [];
    private readonly HashSet<WorkerConnection> _allWorkers = [];
    private readonly PoolOptions _options;
    private readonly ILogger? _logger;

    /// <summary><see cref="PoolOptions.Logger"/>, guarded: a logger that throws never breaks the pool.</summary>
    internal ILogger? Logger => _logger;
    private readonly Func<int, Action<string?, bool>, WorkerProcessHandle> _launch;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextCallId;
    private int _nextWorkerId;
    /// <summary>
    /// Calls and maps submitted and not yet final. Incremented under the lock (with the state check), decremented
    /// without it (once per call, on the reader threads' hot path); Close and the last decrement meet through full
    /// fences on both sides, so exactly one of them sees "closed and drained".
    /// </summary>
    private int _outstanding;
    private int _replacing;
    /// <summary>Written under the lock; volatile so the hot path can read it without one.</summary>
    private volatile State _state = State.Running;
    private Exception? _spawnFailure;

    private enum State
    {
        Running,
        /// <summary>No new work; what was submitted runs to the end, then the workers exit.</summary>
        Closed,
        /// <summary>Everything stopped now; pending work failed.</summary>
        Terminated,
    }

    public CallScheduler(PoolOptions options, Func<int, Action<string?, bool>, WorkerProcessHandle> launch)
    {
        _options = options;
        _logger = GuardedLogger.Wrap(options.Logger);
        _launch = launch;
        _watchdog = new Timer(static s => ((CallScheduler)s!).CheckDeadlines(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Live workers, for diagnostics and tests. A worker whose pipe has broken is left out at once, not only once its
    /// calls have been failed and its last stderr lines collected (which can take a second).
    /// </summary>
    public IReadOnlyList<WorkerConnection> Workers
    {
        get { lock (_gate) return [.. _workers.Where(w => !w.IsLost)]; }
    }

    public int QueuedCount
    {
        get { lock (_gate) return _queue.Count; }
    }

    public int WorkerCount => _options.Workers;

    public bool IsAccepting
    {
        get { lock (_gate) return _state == State.Running; }
    }

    // ---------------------------------------------------------------- start and replace workers

    /// <summary>Starts <paramref name="count"/> workers in parallel and returns when all are ready (initializer run).</summary>
    public async Task StartAsync(int count, CancellationToken cancellationToken)
    {
        // Every process first, then the connections: a worker's start is mostly its runtime's, and it should not wait
        // for the threads and buffers of the connections set up before it (about 4 ms each here).
        var launches = new List<(LaunchedWorker? Launched, Exception? Failure)>(count);
        for (int i = 0; i < count; i++)
        {
            try
            {
                launches.Add((Launch(), null));
            }
            catch (Exception e)
            {
                launches.Add((null, e));
            }
        }
        var starting = new List<Task<WorkerConnection>>(count);
        foreach (var (launched, failure) in launches)
            starting.Add(failure is null ? StartWorkerAsync(launched!, untilWarm: false, cancellationToken) : Task.FromException<WorkerConnection>(failure));
        try
        {
            await Task.WhenAll(starting).ConfigureAwait(false);
        }
        catch
        {
            foreach (var task in starting)
                if (task.IsCompletedSuccessfully) task.Result.Kill();
            await Task.WhenAll(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.StopAsync(TimeSpan.Zero))).ConfigureAwait(false);
            var first = starting.First(t => t.IsFaulted || t.IsCanceled);
            if (first.IsCanceled) throw new OperationCanceledException(cancellationToken);
            throw first.Exception!.InnerException!;
        }
        lock (_gate)
        {
            foreach (var task in starting) _workers.Add(task.Result);
        }
    }

    private LaunchedWorker Launch()
    {
        int id = Interlocked.Increment(ref _nextWorkerId);
        return LaunchedWorker.Launch(id, output => _launch(id, output));
    }

    /// <summary>Starts a replacement; it counts as started only once it has loaded the task assemblies.</summary>
    private Task<WorkerConnection> StartReplacementAsync() => StartWorkerAsync(Launch(), untilWarm: true, CancellationToken.None);

    private async Task<WorkerConnection> StartWorkerAsync(LaunchedWorker launched, bool untilWarm, CancellationToken cancellationToken)
    {
        WorkerConnection worker;
        try
        {
            worker = WorkerConnection.Connect(launched, _options, this);
        }
        catch
        {
            launched.Handle.Kill();
            launched.Handle.DisposeChannels();
            throw;
        }
        lock (_gate) _allWorkers.Add(worker);
        try
        {
            // With an initializer, its call's timeout must not include the warm-up queued before it.
            await worker.WaitForHelloAsync(_options.StartTimeout, untilWarm || _options.Initializer is not null, cancellationToken).ConfigureAwait(false);
            if (_options.Initializer is { } initializer) await RunInitializerAsync(worker, initializer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            worker.Kill();
            throw;
        }
        _logger?.LogDebug("ProcPool worker {WorkerId} started (pid {ProcessId})", worker.Id, worker.ProcessId);
        return worker;
    }

    private async Task RunInitializerAsync(WorkerConnection worker, PoolInitializer initializer, CancellationToken cancellationToken)
    {
        var call = initializer.CreateCall();
        call.CallId = Interlocked.Increment(ref _nextCallId);
        lock (_gate) worker.Load++;
        if (worker.Send(call) == WorkerConnection.SendOutcome.WorkerGone)
            throw new InvalidOperationException($"Worker {worker.Id} (pid {worker.ProcessId}) died before its initializer {initializer.Name} could run.");
        try
        {
            await call.AsTask().WaitAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The initializer {initializer.Name} did not finish within {_options.StartTimeout.TotalSeconds:0.#} s in worker {worker.Id}.");
        }
    }

    /// <summary>Starts a worker in place of one that died or retired, with back-off; gives up after a few failures in a row.</summary>
    private async Task ReplaceAsync()
    {
        Interlocked.Increment(ref _replacing);
        try
        {
            Exception? last = null;
            for (int attempt = 1; attempt <= MaxSpawnAttempts; attempt++)
            {
                lock (_gate)
                {
                    if (_state == State.Terminated) return;
                    if (_state == State.Closed && _queue.Count == 0 && Volatile.Read(ref _outstanding) == 0) return;
                }
                try
                {
                    var worker = await StartReplacementAsync().ConfigureAwait(false);
                    bool keep;
                    lock (_gate)
                    {
                        // After Close, a replacement is only worth keeping while submitted work remains.
                        keep = _state == State.Running || _state == State.Closed && (Volatile.Read(ref _outstanding) > 0 || _queue.Count > 0);
                        if (keep)
                        {
                            _workers.Add(worker);
                            _spawnFailure = null;
                        }
                    }
                    if (!keep)
                    {
                        await worker.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
                        return;
                    }
                    FillWorker(worker);
                    return;
                }
                catch (Exception e)
                {
                    last = e;
                    _logger?.LogWarning(e, "ProcPool could not start a replacement worker (attempt {Attempt} of {Attempts})", attempt, MaxSpawnAttempts);
                    if (attempt < MaxSpawnAttempts) await Task.Delay(TimeSpan.FromMilliseconds(100 << (attempt - 1))).ConfigureAwait(false);
                }
            }
            GiveUpOnSpawning(last!);
        }
        finally
        {
            Interlocked.Decrement(ref _replacing);
            CheckStopped();
        }
    }

    private void GiveUpOnSpawning(Exception cause)
    {
        _logger?.LogError(cause, "ProcPool gave up starting a replacement worker");
        List<PoolResult> stranded;
        lock (_gate)
        {
            _spawnFailure = cause;
            if (_workers.Count > 0) return;
            stranded = _queue.Drain();
        }
        foreach (var call in stranded)
            call.TrySetException(new InvalidOperationException(
                $"{call.TaskName} could not run: no worker is left and {MaxSpawnAttempts} attempts to start a replacement failed: {cause.Message}", cause));
    }

    // ---------------------------------------------------------------- submit and dispatch

    /// <summary>Submits a call. <paramref name="afterClose"/> lets a map that began before <c>Close</c> keep feeding its chunks.</summary>
    public void Submit(PoolResult call, CancellationToken cancellationToken, bool afterClose = false)
    {
        call.Scheduler = this;
        call.CallId = Interlocked.Increment(ref _nextCallId);
        call.RunTimeout ??= _options.TaskTimeout;
        WorkerConnection? target;
        Exception? noWorkers = null;
        lock (_gate)
        {
            if (_state == State.Terminated || _state == State.Closed && !afterClose)
                throw new InvalidOperationException(_state == State.Terminated
                    ? "The pool has been terminated; it accepts no more work."
                    : "The pool has been closed; it accepts no more work.");
            Interlocked.Increment(ref _outstanding);
            target = PickWorker();
            if (target is not null) target.Load++;
            else if (_workers.Count == 0 && _replacing == 0 && _spawnFailure is { } failure) noWorkers = failure;
            else _queue.AddLast(call);
        }
        if (call.RunTimeout is not null) EnsureWatchdog();
        if (noWorkers is not null)
        {
            call.TrySetException(new InvalidOperationException($"{call.TaskName} could not run: the pool has no workers left ({noWorkers.Message}).", noWorkers));
            return;
        }
        if (cancellationToken.CanBeCanceled)
        {
            call.CancellationToken = cancellationToken;
            call.CancellationRegistration = cancellationToken.UnsafeRegister(static state => ((PoolResult)state!).Scheduler!.Cancel((PoolResult)state!), call);
        }
        if (target is not null) SendAndFill(target, call);
    }

    private WorkerConnection? PickWorker()
    {
        WorkerConnection? best = null;
        foreach (var worker in _workers)
        {
            if (!CanTakeMore(worker)) continue;
            if (best is null || worker.Load < best.Load) best = worker;
        }
        return best;
    }

    private bool CanTakeMore(WorkerConnection worker) =>
        !worker.IsLost && !worker.IsStopping && !worker.IsRetiring && worker.Load < WindowOf(worker);

    private static int WindowOf(WorkerConnection worker)
    {
        double average = worker.AverageServiceTicks;
        if (average < 0) return 1;
        // A call that has already run longer than the average says more than the average: a ten-second call after a
        // thousand quick ones must not collect a queue of calls that other workers could run now.
        long runningSince = worker.RunningSince;
        if (runningSince != 0) average = Math.Max(average, Stopwatch.GetTimestamp() - runningSince);
        double window = 1 + TargetQueuedTicks / Math.Max(average, 1);
        return window >= MaxWindow ? MaxWindow : (int)window;
    }

    /// <summary>Takes the next queued call for <paramref name="worker"/> if it has room. Call under the lock.</summary>
    private PoolResult? TakeNextFor(WorkerConnection worker)
    {
        if (_state == State.Terminated || !_workers.Contains(worker)) return null;
        while (CanTakeMore(worker) && _queue.TryTakeFirst(out var next))
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
            bool retire = false;
            lock (_gate)
            {
                if (outcome != WorkerConnection.SendOutcome.Sent) worker.Load--;
                if (outcome == WorkerConnection.SendOutcome.WorkerGone)
                {
                    // The worker died between the pick and the send; its loss handler redistributes the queue.
                    _queue.AddFirst(call);
                    return;
                }
                if (outcome == WorkerConnection.SendOutcome.Sent && ++worker.SentCalls >= _options.MaxTasksPerWorker && !worker.IsRetiring)
                {
                    worker.IsRetiring = true;
                    retire = true;
                }
                call = TakeNextFor(worker);
            }
            if (retire) Retire(worker);
        }
    }

    private void FillWorker(WorkerConnection worker)
    {
        PoolResult? next;
        lock (_gate) next = TakeNextFor(worker);
        if (next is not null) SendAndFill(worker, next);
    }

    private void FillAll()
    {
        foreach (var worker in Workers) FillWorker(worker);
    }

    /// <summary>A worker reached <see cref="PoolOptions.MaxTasksPerWorker"/>: start its replacement now, stop it once idle.</summary>
    private void Retire(WorkerConnection worker)
    {
        _logger?.LogDebug("ProcPool worker {WorkerId} retires after {Calls} calls", worker.Id, worker.SentCalls);
        _ = ReplaceAsync();
        StopIfRetiredAndIdle(worker);
    }

    private void StopIfRetiredAndIdle(WorkerConnection worker)
    {
        lock (_gate)
        {
            if (!worker.IsRetiring || worker.Load > 0 || worker.IsStopping) return;
            _workers.Remove(worker);
        }
        worker.RequestShutdown();
        _ = worker.StopAsync(TimeSpan.FromSeconds(10));
    }

    // ---------------------------------------------------------------- completion, cancellation, loss

    /// <summary>Called by every submitted call once it is final, whatever ended it.</summary>
    internal void OnCallFinal(PoolResult call) => ReleaseOutstanding();

    /// <summary>A map that began before Close keeps the pool open until it has submitted its last chunk.</summary>
    internal void HoldOpen()
    {
        lock (_gate)
        {
            if (_state == State.Terminated) throw new InvalidOperationException("The pool has been terminated; it accepts no more work.");
            if (_state == State.Closed) throw new InvalidOperationException("The pool has been closed; it accepts no more work.");
            Interlocked.Increment(ref _outstanding);
        }
    }

    /// <summary>Ends a <see cref="HoldOpen"/> or a call.</summary>
    internal void ReleaseOutstanding()
    {
        // Interlocked.Decrement is a full fence: the state read after it cannot be older than Close's write.
        bool drained = Interlocked.Decrement(ref _outstanding) == 0 && _state == State.Closed;
        if (drained) BeginGracefulStop();
    }

    /// <summary>Cancels a call: removed from the queue if it has not been sent, otherwise cancelled in its worker.</summary>
    public void Cancel(PoolResult call)
    {
        bool removed;
        lock (_gate) removed = _queue.Remove(call);
        var exception = new OperationCanceledException(
            removed ? $"{call.TaskName} was cancelled before it started." : $"{call.TaskName} was cancelled.", call.CancellationToken);
        if (!call.TrySetException(exception) || removed) return;
        // It was sent: ask the worker to cancel it (or skip it, if it has not started there), and give it a grace period.
        if (call.Worker is { } worker)
        {
            call.CancelRequestedTimestamp = Stopwatch.GetTimestamp();
            worker.SendCancel(call.CallId);
            EnsureWatchdog();
        }
    }

    void IWorkerOwner.OnCallFinished(WorkerConnection worker, PoolResult call, long serviceTicks)
    {
        lock (_gate)
        {
            worker.Load--;
            if (serviceTicks > 0 || worker.AverageServiceTicks >= 0)
            {
                double perItem = serviceTicks / (double)Math.Max(call.ItemCount, 1);
                worker.AverageServiceTicks = worker.AverageServiceTicks < 0 ? perItem : worker.AverageServiceTicks * 0.8 + perItem * 0.2;
            }
        }
        if (worker.IsRetiring) StopIfRetiredAndIdle(worker);
        else FillWorker(worker);
    }

    void IWorkerOwner.OnWorkerLost(WorkerConnection worker, PoolResult[] inFlight, string exitDescription, int? exitCode, IReadOnlyList<string> lastStandardError, Exception? cause)
    {
        bool replace;
        bool terminated;
        PoolResult? running = inFlight.Length > 0 ? inFlight[0] : null;
        bool retryRunning = false;
        lock (_gate)
        {
            bool wasServing = _workers.Remove(worker);
            worker.Load = 0;
            terminated = _state == State.Terminated;
            replace = wasServing && !terminated && !worker.IsStopping && !worker.IsRetiring;
            if (!terminated)
            {
                // Calls queued behind the one it was running never started: send them elsewhere, in order.
                for (int i = inFlight.Length - 1; i >= 1; i--)
                    if (!inFlight[i].IsReady) _queue.AddFirst(inFlight[i]);
                if (running is { IsReady: false } && running.Attempts < _options.RetryCrashedTasks)
                {
                    running.Attempts++;
                    retryRunning = true;
                    // The dead worker may have begun an answer it never finished: it did not complete the call.
                    running.SetCompletedBy(0, 0);
                    _queue.AddFirst(running);
                }
            }
        }
        try
        {
            if (terminated)
            {
                foreach (var call in inFlight) call.TrySetException(Terminated(call));
            }
            else if (running is not null && !retryRunning)
            {
                Exception error = cause is PoolProtocolException protocol
                    ? new PoolProtocolException($"Worker {worker.Id} (pid {worker.ProcessId}) broke the protocol while running {running.TaskName}: {protocol.Message}", protocol)
                    : new WorkerCrashedException(running.TaskName, worker.Id, worker.ProcessId, exitDescription, lastStandardError, exitCode: exitCode);
                running.TrySetException(error);
            }
            if (replace)
            {
                _logger?.LogWarning("ProcPool worker {WorkerId} (pid {ProcessId}) died: {Exit}; starting a replacement", worker.Id, worker.ProcessId, exitDescription);
                _ = ReplaceAsync();
            }
        }
        finally
        {
            // Only now, with its calls failed or queued elsewhere, may the pool count as stopped (join returns); in a
            // finally, so nothing that throws above can keep Join waiting forever.
            worker.MarkSettled();
            OnWorkerGone(worker);
        }
        FillAll();
        CheckStopped();
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
                _logger?.LogError(e, "PoolOptions.WorkerOutput threw");
            }
            return;
        }
        Console.Error.WriteLine($"[worker {worker.Id}] {line}");
    }

    private static OperationCanceledException Terminated(PoolResult call) =>
        new($"{call.TaskName} did not finish: the pool was terminated.");
}
