using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Hosting;

/// <summary>
/// The parent's side of one worker: three pipes (calls out, results in, control out), a reader thread that
/// completes calls in the order they were sent, an outbox that batches calls onto the pipe, and the worker's
/// stdout/stderr forwarded line by line. The worker itself is an OS process or, in-process mode, a thread.
/// </summary>
internal sealed class WorkerConnection
{
    private readonly IWorkerOwner _owner;
    private readonly PoolOptions _options;
    private readonly WorkerProcessHandle _worker;
    private readonly FrameOutbox _outbox;
    private readonly FrameReader _reader;
    private readonly Queue<PoolResult> _inFlight = new();
    private readonly HashSet<Assembly> _loadedAssemblies = [];
    private readonly StandardErrorTail _stderr = new(20);
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _warm = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _controlGate = new();
    private readonly SharedRing? _callsRing;
    private readonly SharedRing? _resultsRing;
    // Set when the worker has mapped the rings; guarded by the outbox's lock, as is every use of _callsRing.
    private bool _callsRingReady;
    // Asked while a result streamed through shared memory is late: whether the worker copying it has died.
    private readonly Func<bool> _senderGone;
    private int _lost;
    // Why this process killed the worker, when it was not for a crash the exit description tells (a hung warm-up).
    private string? _killReason;
    private volatile bool _stopping;

    private WorkerConnection(int id, WorkerProcessHandle worker, PoolOptions options, IWorkerOwner owner)
    {
        Id = id;
        _worker = worker;
        ProcessId = worker.ProcessId;
        _options = options;
        _owner = owner;
        _outbox = new FrameOutbox(worker.ToWorker, $"pp-calls-out-{id}", options.MaxDepth);
        _reader = new FrameReader(worker.FromWorker, options.MaxFrameSize);
        _callsRing = worker.SharedMemory?.Calls;
        _resultsRing = worker.SharedMemory?.Results;
        _senderGone = () => _worker.HasExited;
    }

    /// <summary>The pool's number for this worker; a replacement gets a new one.</summary>
    public int Id { get; }

    /// <summary>The worker's process id (this process's, in-process).</summary>
    public int ProcessId { get; }

    /// <summary>Calls the scheduler has given this worker and not yet seen finish. Guarded by the scheduler's lock.</summary>
    internal int Load;

    /// <summary>Moving average of how long a call occupies this worker, in stopwatch ticks. Guarded by the scheduler's lock.</summary>
    internal double AverageServiceTicks = -1;

    private long _runningSince;

    /// <summary>
    /// When the call the worker is running now started (stopwatch ticks), 0 when it holds none. Read without a lock by
    /// the scheduler, which stops queueing behind a call that has run long, whatever the average says.
    /// </summary>
    internal long RunningSince => Volatile.Read(ref _runningSince);

    /// <summary>Calls sent to this worker, for recycling after <see cref="PoolOptions.MaxTasksPerWorker"/>. Guarded by the scheduler's lock.</summary>
    internal int SentCalls;

    /// <summary>The worker takes no new calls and is replaced once its calls finish. Guarded by the scheduler's lock.</summary>
    internal bool IsRetiring;

    public bool IsLost => Volatile.Read(ref _lost) != 0;

    private int _settled;

    /// <summary>
    /// Lost, and every call it held has been failed or sent elsewhere. The pool counts as stopped (join returns) only
    /// when all its workers are settled: <see cref="IsLost"/> is set first, while the calls are still being failed.
    /// </summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    internal void MarkSettled() => Volatile.Write(ref _settled, 1);

    public bool IsStopping => _stopping;

    /// <summary>Creates the connection to a launched worker: its outbox (with the warm-up queued in it) and its reader thread.</summary>
    public static WorkerConnection Connect(LaunchedWorker launched, PoolOptions options, IWorkerOwner owner)
    {
        var worker = launched.Handle;
        var created = new WorkerConnection(launched.Id, worker, options, owner);
        launched.DeliverOutputTo(created.OnOutput);
        worker.Exited += created.OnProcessExited;
        // The process may have exited between its launch and now; the event does not replay.
        if (worker.HasExited) created.OnProcessExited();
        created._outbox.Start();
        // Queued before the worker is even up: it reads them right after its hello, so the hello does not wait on a
        // round trip through this process's thread pool before the worker can load the task assemblies.
        created.SendWarmUp();
        new Thread(created.ReaderLoop) { IsBackground = true, Name = $"pp-results-in-{launched.Id}" }.Start();
        return created;
    }

    /// <summary>
    /// Waits for the worker's hello, and with <paramref name="untilWarm"/> for its answer to the warm-up too; kills the
    /// worker and throws if that does not come within <paramref name="timeout"/>.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="untilWarm"/> (a pool's first workers), not for the answer to the warm-up (load every
    /// assembly whose tasks are registered, then ping), which was queued before the hello and which the worker works
    /// through before any call: calls can be sent at once and wait in the pipe, so the first one does not also wait for
    /// the pong's round trip through this process. A call's timeout starts only once the warm-up is done, and a worker
    /// that has not finished it by the same deadline (a module initializer that hangs) is killed, its calls failing as
    /// if it had crashed. Replacements and workers that run an initializer wait: a replacement that never warms up then
    /// counts as a failed start (so the pool gives up after a few), and an initializer's timeout starts after the
    /// warm-up.
    /// </remarks>
    public async Task WaitForHelloAsync(TimeSpan timeout, bool untilWarm, CancellationToken cancellationToken)
    {
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            await _hello.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            var left = deadline - DateTime.UtcNow;
            if (left < TimeSpan.Zero) left = TimeSpan.Zero;
            if (untilWarm) await _warm.Task.WaitAsync(left, cancellationToken).ConfigureAwait(false);
            else _ = KillUnlessWarmAsync(left, timeout);
        }
        catch (TimeoutException)
        {
            Kill();
            string what = _hello.Task.IsCompletedSuccessfully ? "start and load its task assemblies" : "start";
            throw new TimeoutException($"Worker {Id} (pid {ProcessId}) did not {what} within {timeout.TotalSeconds:0.#} s.{FormatLines(_stderr.Snapshot(TimeSpan.FromMilliseconds(500)))}");
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }
    }

    private async Task KillUnlessWarmAsync(TimeSpan within, TimeSpan startTimeout)
    {
        try
        {
            await _warm.Task.WaitAsync(within).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Only killed here: the reader thread reports the loss when the pipe ends, as for any death, so a pong or
            // result arriving at this moment is never handled twice.
            if (_warm.Task.IsCompleted) return;
            Volatile.Write(ref _killReason, $"it did not finish loading its task assemblies within {startTimeout.TotalSeconds:0.#} s and was killed");
            Kill(stopping: false);
        }
        catch (InvalidOperationException)
        {
            // Lost before it was warm: already reported.
        }
    }

    public enum SendOutcome
    {
        Sent,
        /// <summary>The call's arguments could not be encoded; the call has been failed.</summary>
        Failed,
        /// <summary>The worker is gone; the call was not sent.</summary>
        WorkerGone,
    }

    /// <summary>Encodes the call into the outbox and records it as in flight, in the same order as on the wire.</summary>
    public SendOutcome Send(PoolResult call)
    {
        var writer = _outbox.Acquire();
        if (writer is null) return SendOutcome.WorkerGone;
        Exception? encodingError = null;
        try
        {
            if (IsLost) return SendOutcome.WorkerGone;
            if (_loadedAssemblies.Add(call.Task.Assembly)) WriteLoadAssembly(writer, call.Task.Assembly);
            int start = FrameWriter.Begin(writer, call.RequestKind);
            writer.WriteInt64(call.CallId);
            writer.WriteUInt32(call.Task.Id);
            try
            {
                // With a ring, a single call's large arrays are left in place and copied once, from the caller's array
                // into the ring. Not a chunk's: a map's source may hand out one buffer refilled for each item.
                writer.DefersLargeArrays = _callsRingReady && call.RequestKind != FrameKind.Chunk;
                call.WriteArguments(writer);
                FrameWriter.End(writer, start, _options.MaxFrameSize);
                _outbox.TryMoveToRing(_callsRingReady ? _callsRing : null, start);
            }
            catch (Exception e)
            {
                writer.Truncate(start);
                encodingError = e;
            }
            finally
            {
                writer.DefersLargeArrays = false;
            }
            if (encodingError is null)
            {
                call.Worker = this;
                // A retried call may have been answered by a worker that died before the answer was whole; this worker
                // has not answered it, so the watchdog must time it again.
                call.WorkerAnswered = false;
                // Timed from when the worker can start it: the call ahead of it answered, or the warm-up done.
                call.StartedTimestamp = _inFlight.Count == 0 && _warm.Task.IsCompleted ? Stopwatch.GetTimestamp() : 0;
                if (_inFlight.Count == 0) Volatile.Write(ref _runningSince, call.StartedTimestamp);
                _inFlight.Enqueue(call);
            }
        }
        finally
        {
            // A caller about to block for the result writes the frame itself (FlushPendingSends) and saves the writer
            // thread's wake-up; it must: a frame appended without a wake waits for the next one.
            bool callerFlushes = t_callerFlushes;
            if (callerFlushes) t_pendingFlush = this;
            var deferred = t_deferredWakes;
            if (deferred is not null && !callerFlushes && !deferred.Contains(this)) deferred.Add(this);
            _outbox.Release(wakeWriter: !callerFlushes && deferred is null);
        }
        if (encodingError is null) return SendOutcome.Sent;
        call.TrySetException(encodingError as PoolSerializationException
            ?? new PoolSerializationException($"Cannot encode the arguments of {call.TaskName}: {encodingError.Message}", encodingError));
        return SendOutcome.Failed;
    }

    private void SendWarmUp()
    {
        var writer = _outbox.Acquire() ?? throw new InvalidOperationException($"Worker {Id} (pid {ProcessId}) is gone.");
        try
        {
            if (_worker.SharedMemory is { } shared)
            {
                int setup = FrameWriter.Begin(writer, FrameKind.SharedMemory);
                writer.WriteInt32(shared.CallsFd);
                writer.WriteInt32(shared.ResultsFd);
                writer.WriteInt32(shared.Calls.Capacity);
                FrameWriter.End(writer, setup, int.MaxValue);
            }
            foreach (var assembly in Runtime.PoolTaskRegistry.Assemblies)
                if (_loadedAssemblies.Add(assembly)) WriteLoadAssembly(writer, assembly);
            FrameWriter.WriteEmptyFrame(writer, FrameKind.Ping);
        }
        finally
        {
            _outbox.Release(wakeWriter: true);
        }
    }

    private static void WriteLoadAssembly(PoolWriter writer, Assembly assembly)
    {
        int start = FrameWriter.Begin(writer, FrameKind.LoadAssembly);
        // UTF-16, which the worker copies: decoding UTF-8 would be the first use of the transcoder in every worker,
        // and paging its code in costs more than the frame's extra bytes.
        string fullName = assembly.FullName ?? "";
        writer.WriteUtf16String(SimpleNameOf(fullName));
        writer.WriteUtf16String(fullName);
        writer.WriteUtf16String(LocationOf(assembly));
        FrameWriter.End(writer, start, int.MaxValue);
    }

    // Empty in a single-file or native application, whose workers load their tasks by name (or contain them).
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location is expected and handled: the worker then loads by name.")]
    private static string LocationOf(Assembly assembly) => assembly.Location;

    /// <summary>
    /// The simple name of an assembly's full name, or "" if the name has escapes (which only the full parser reads).
    /// Parsed here, once, rather than in every worker, which would page in the string-search code before its first call.
    /// </summary>
    internal static string SimpleNameOf(string fullName)
    {
        int comma = fullName.IndexOf(',');
        if (comma < 0 || fullName.Contains('\\') || fullName.Contains('"')) return "";
        return fullName[..comma].Trim();
    }

    [ThreadStatic] private static List<WorkerConnection>? t_deferredWakes;
    private readonly List<WorkerConnection> _deferredWakes = [];

    private void WakeDeferred()
    {
        foreach (var connection in _deferredWakes) connection._outbox.Wake();
        _deferredWakes.Clear();
    }

    [ThreadStatic] private static bool t_callerFlushes;
    [ThreadStatic] private static WorkerConnection? t_pendingFlush;

    /// <summary>
    /// Runs <paramref name="submit"/> with the frames it sends left for this thread to write, then writes them:
    /// for a caller that blocks for the result anyway (Python's <c>apply</c>), one thread wake-up fewer per round
    /// trip. Never used by a connection's reader thread, which must not block on a pipe.
    /// </summary>
    public static T SendFromCaller<T>(Func<T> submit)
    {
        t_callerFlushes = true;
        try
        {
            return submit();
        }
        finally
        {
            t_callerFlushes = false;
            var pending = t_pendingFlush;
            t_pendingFlush = null;
            pending?._outbox.FlushInline();
        }
    }

    /// <summary>The call the worker is running now (the oldest it holds), or null.</summary>
    public PoolResult? RunningCall
    {
        get
        {
            lock (_outbox.Gate) return _inFlight.TryPeek(out var call) ? call : null;
        }
    }

    /// <summary>Asks the worker to cancel a call it holds (through the control pipe, so it arrives while a task runs).</summary>
    public void SendCancel(long callId)
    {
        Span<byte> frame = stackalloc byte[ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize + sizeof(long)];
        BitConverter.TryWriteBytes(frame, ProtocolConstants.BodyHeaderSize + sizeof(long));
        frame[4] = ProtocolConstants.Version;
        frame[5] = (byte)FrameKind.Cancel;
        BitConverter.TryWriteBytes(frame[6..], callId);
        lock (_controlGate)
        {
            try
            {
                _worker.Control.Write(frame);
                _worker.Control.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The worker is gone; its calls fail through the reader.
            }
        }
    }

    /// <summary>Asks the worker to finish what it holds and exit.</summary>
    public void RequestShutdown()
    {
        _stopping = true;
        var writer = _outbox.Acquire();
        if (writer is null) return;
        FrameWriter.WriteEmptyFrame(writer, FrameKind.Shutdown);
        _outbox.Release(wakeWriter: true);
    }

    /// <summary>Waits for the worker to exit; kills it if it has not by then.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopping = true;
        using (var timeout = new CancellationTokenSource(grace))
        {
            try
            {
                await _worker.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }
        try
        {
            using var afterKill = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _worker.WaitForExitAsync(afterKill.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Not reaped yet; nothing more we can do.
        }
    }

    /// <summary>Kills the worker now; its in-flight calls are reported through <see cref="IWorkerOwner.OnWorkerLost"/>.</summary>
    public void Kill(bool stopping = true)
    {
        if (stopping) _stopping = true;
        _worker.Kill();
    }

    public bool HasExited => _worker.HasExited;

    private void ReaderLoop()
    {
        Exception? cause = null;
        try
        {
            while (true)
            {
                // Calls dispatched while handling a burst of results are sent with one writer wake-up per outbox,
                // after the burst, instead of one per call.
                t_deferredWakes = _deferredWakes;
                try
                {
                    while (_reader.TryReadBuffered(out var frame))
                    {
                        Handle(frame);
                        Volatile.Write(ref _readerProgress, _readerProgress + 1);
                    }
                }
                finally
                {
                    t_deferredWakes = null;
                    WakeDeferred();
                }
                // Counted on the way in as well as out, so a check that finds the reader waiting with no progress since the
                // last one knows it has waited that whole time.
                Volatile.Write(ref _readerProgress, _readerProgress + 1);
                Volatile.Write(ref _readerWaiting, 1);
                bool more = _reader.Fill();
                Volatile.Write(ref _readerWaiting, 0);
                Volatile.Write(ref _readerProgress, _readerProgress + 1);
                if (!more) break;
            }
        }
        catch (PoolProtocolException e)
        {
            cause = e;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the worker is gone.
        }
        catch (Exception e)
        {
            // Nothing a worker sends may take this process down: whatever escaped is that worker's fault.
            cause = new PoolProtocolException($"Worker {Id} sent what this process could not handle: {e.Message}", e);
        }
        OnLost(cause);
        // Only this thread reads the results pipe and its buffer, so only this thread may close them
        // (disposing a stream another thread is blocked reading waits for that read on Unix).
        _reader.Dispose();
        _worker.FromWorker.Dispose();
        _resultsRing?.Dispose();
        lock (_outbox.Gate)
        {
            _callsRingReady = false;
            _callsRing?.Dispose();
        }
    }

    private void Handle(Frame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Hello:
                // A worker with rings is up once it has mapped them (it says so right after its hello), so that the
                // first large calls go through them.
                if (_worker.SharedMemory is null) _hello.TrySetResult();
                break;
            case FrameKind.Pong:
                // Also up if it could not map its rings (it does not answer SharedMemoryReady then).
                _hello.TrySetResult();
                lock (_outbox.Gate)
                {
                    // Calls sent during the warm-up start their timing now (Send leaves it to this).
                    _warm.TrySetResult();
                    if (_inFlight.TryPeek(out var first) && first.StartedTimestamp == 0)
                    {
                        first.StartedTimestamp = Stopwatch.GetTimestamp();
                        Volatile.Write(ref _runningSince, first.StartedTimestamp);
                    }
                }
                break;
            case FrameKind.SharedMemoryReady:
                lock (_outbox.Gate) _callsRingReady = _callsRing is not null;
                _hello.TrySetResult();
                break;
            case FrameKind.SharedBody:
                HandleSharedBody(frame.Payload);
                break;
            case FrameKind.Result:
            case FrameKind.ChunkResult:
            case FrameKind.Error:
                HandleCompletion(frame);
                break;
            default:
                throw new PoolProtocolException($"Worker {Id} sent a frame of unknown kind {(byte)frame.Kind}.");
        }
    }

    private void HandleSharedBody(ReadOnlySpan<byte> payload)
    {
        var ring = _resultsRing ?? throw new PoolProtocolException($"Worker {Id} sent a shared-memory frame, but it was given no shared memory.");
        var frame = ring.ReadFrame(payload, _options.MaxFrameSize, _senderGone, out long end);
        if (frame.Kind is not (FrameKind.Result or FrameKind.ChunkResult or FrameKind.Error))
            throw new PoolProtocolException($"Worker {Id} sent a frame of kind {frame.Kind} through shared memory; only results go that way.");
        HandleCompletion(frame);
        ring.Release(end, _senderGone);
    }

    private void HandleCompletion(Frame frame)
    {
        var reader = frame.OpenReader(_options.MaxDepth);
        long callId;
        try
        {
            callId = reader.ReadInt64();
        }
        catch (PoolSerializationException e)
        {
            throw new PoolProtocolException($"Worker {Id} sent a result frame too short for its call id.", e);
        }
        PoolResult call;
        long now = Stopwatch.GetTimestamp();
        // A result streamed through shared memory may never finish arriving (SharedBodyAbandonedException): it is
        // decoded while its call is still the oldest in flight, so that a lost worker's calls still include it. Any
        // other result is taken off first, with one lock for the whole step.
        bool streamed = frame.Arrival is not null;
        long serviceTicks = 0;
        lock (_outbox.Gate)
        {
            if (!_inFlight.TryPeek(out call!) || call.CallId != callId)
                throw new PoolProtocolException($"Worker {Id} answered call {callId}, but the oldest call it holds is {(call is null ? "none" : call.CallId)}.");
            if (frame.Kind == FrameKind.ChunkResult != (call.RequestKind == FrameKind.Chunk) && frame.Kind != FrameKind.Error)
                throw new PoolProtocolException($"Worker {Id} answered call {callId} with a frame of kind {frame.Kind}, which does not fit a {call.RequestKind}.");
            if (!streamed) serviceTicks = TakeOldest(call, now);
        }
        call.Worker = null;
        // A streamed answer is not whole until decoded: its call stays under its timeout until then, so a worker that
        // stops mid-copy (SIGSTOP, a frozen host) is still killed when the call runs out of time.
        if (!streamed) call.WorkerAnswered = true;
        if (!call.IsReady) call.SetCompletedBy(Id, ProcessId);
        // Nothing that can throw between this and the try: the state must go back to 0 whatever the decode does.
        if (streamed && Interlocked.CompareExchange(ref _streamedDecode, 1, 0) == 2)
            throw new IOException($"Worker {Id} exited; its calls are being failed.");
        try
        {
            if (frame.Kind == FrameKind.Error) CompleteWithError(call, ref reader);
            else CompleteWithResult(call, ref reader);
        }
        finally
        {
            if (streamed) Interlocked.CompareExchange(ref _streamedDecode, 0, 1);
        }
        if (streamed)
        {
            lock (_outbox.Gate)
            {
                // Still the oldest: the exit timer waits while a decode runs (DeclareLostOnceDrained). Checked all
                // the same, so that a call the loss of the worker took is never finished twice.
                if (!_inFlight.TryPeek(out var head) || !ReferenceEquals(head, call)) return;
                serviceTicks = TakeOldest(call, now);
            }
        }
        _owner.OnCallFinished(this, call, serviceTicks);
    }

    /// <summary>Takes the answered call off the in-flight queue (under the outbox's lock); returns its service time.</summary>
    private long TakeOldest(PoolResult call, long now)
    {
        _inFlight.Dequeue();
        if (_inFlight.TryPeek(out var next)) next.StartedTimestamp = now;
        Volatile.Write(ref _runningSince, _inFlight.Count > 0 ? now : 0);
        return call.StartedTimestamp == 0 ? 0 : now - call.StartedTimestamp;
    }

    private static void CompleteWithResult(PoolResult call, ref PoolReader reader)
    {
        try
        {
            call.SetResultFrom(ref reader);
        }
        catch (Exception e) when (e is not SharedBodyAbandonedException)
        {
            call.TrySetException(new PoolSerializationException($"Cannot decode the result of {call.TaskName}: {e.Message}", e));
        }
    }

    private void CompleteWithError(PoolResult call, ref PoolReader reader)
    {
        Exception error;
        try
        {
            error = RemoteErrors.Read(ref reader, call, Id, ProcessId, itemIndex: null);
        }
        catch (Exception e) when (e is not SharedBodyAbandonedException)
        {
            // Any exception, not only the codec's: the bytes come from another process (and from shared memory it
            // can still write to), so a decoder may meet what no well-formed frame holds.
            error = new PoolSerializationException($"Cannot decode the error {call.TaskName} failed with: {e.Message}", e);
        }
        call.TrySetException(error);
    }

    private void OnOutput(string? line, bool isError)
    {
        if (line is null)
        {
            if (isError) _stderr.End();
            return;
        }
        if (isError) _stderr.Add(line);
        _owner.OnWorkerOutput(this, isError, line);
    }

    private void OnProcessExited()
    {
        // The reader normally sees the pipe close first. If something else keeps the pipe open, do not wait for it.
        Volatile.Write(ref _progressAtExitCheck, Volatile.Read(ref _readerProgress));
        CheckDrainedLater();
    }

    private void CheckDrainedLater() =>
        _ = Task.Delay(ExitDrainCheck).ContinueWith(_ => DeclareLostOnceDrained(), TaskScheduler.Default);

    private static readonly TimeSpan ExitDrainCheck = TimeSpan.FromMilliseconds(500);

    // 1 while the reader thread waits on the results pipe; _readerProgress counts what it has read and handled (only the
    // reader thread writes either); _progressAtExitCheck is that count when the exit timer last looked.
    private int _readerWaiting;
    private long _readerProgress;
    private long _progressAtExitCheck;

    // 0: the reader is not decoding a streamed result; 1: it is (and will end the connection itself if the worker is
    // gone); 2: the exit timer has declared the worker lost, and the reader must not start one.
    private int _streamedDecode;

    /// <summary>
    /// The exit timer: declares the worker lost once the reader has drained what the worker wrote before it exited,
    /// that is once the reader has been waiting on an empty pipe for a whole check. Until then answers may still be
    /// in the pipe (the reader busy with a long decode, a burst of results, a stalled machine), and taking their
    /// calls would retry or fail calls that were answered.
    /// </summary>
    private void DeclareLostOnceDrained()
    {
        if (Volatile.Read(ref _lost) != 0) return; // the reader met the end of the pipe first
        // Waiting first, progress second: the reader counts progress before it starts to wait, so "waiting, and no
        // progress since the last check" means it has waited on the pipe since before that check.
        bool waiting = Volatile.Read(ref _readerWaiting) == 1;
        long progress = Volatile.Read(ref _readerProgress);
        bool progressed = progress != Volatile.Read(ref _progressAtExitCheck);
        Volatile.Write(ref _progressAtExitCheck, progress);
        _checksWithoutProgress = progressed ? 0 : _checksWithoutProgress + 1;
        // A reader busy on one answer for this long is stuck (a decoder that never returns): stop waiting for it, or the
        // calls behind that answer would wait for ever.
        bool drained = waiting ? !progressed : _checksWithoutProgress >= StuckReaderChecks;
        // A streamed result still decoding stays the oldest call in flight until it is done; the reader notices the
        // exit itself once the decode ends.
        if (!drained || Interlocked.CompareExchange(ref _streamedDecode, 2, 0) == 1)
        {
            CheckDrainedLater();
            return;
        }
        OnLost(null);
    }

    // 60 checks of 500 ms: half a minute with no answer read or handled.
    private const int StuckReaderChecks = 60;

    // Only the exit timer's callbacks touch it, one at a time.
    private int _checksWithoutProgress;

    private void OnLost(Exception? cause)
    {
        if (Interlocked.Exchange(ref _lost, 1) != 0) return;
        if (cause is not null || !HasExited) Kill(stopping: false);
        _outbox.Dispose();
        _worker.WaitForExit(TimeSpan.FromSeconds(2));
        string exit = _worker.DescribeExit();
        if (Volatile.Read(ref _killReason) is { } reason) exit = $"{reason} ({exit})";
        // A dead process's stderr ends at once, but the thread reading it may lag on a busy machine, and its last
        // lines are the ones that explain the death: wait for the end a little, not just for what has arrived.
        var stderr = _stderr.Snapshot(TimeSpan.FromSeconds(1));
        PoolResult[] calls;
        lock (_outbox.Gate)
        {
            calls = [.. _inFlight];
            _inFlight.Clear();
        }
        var notReady = new InvalidOperationException($"Worker {Id} (pid {ProcessId}) exited before it was ready: {exit}.{FormatLines(stderr)}");
        _hello.TrySetException(notReady);
        _warm.TrySetException(notReady);
        _worker.ToWorker.Dispose();
        lock (_controlGate) _worker.Control.Dispose();
        _owner.OnWorkerLost(this, calls, exit, _worker.ExitCode, stderr, cause);
    }

    private static string FormatLines(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? "" : " Its stderr ended with:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  " + l));

    public override string ToString() => $"worker {Id} (pid {ProcessId})";
}
