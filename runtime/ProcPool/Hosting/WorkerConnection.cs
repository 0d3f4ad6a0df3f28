using System.Diagnostics;
using System.IO.Pipes;
using System.Reflection;
using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Hosting;

/// <summary>
/// The parent's side of one worker process: three anonymous pipes (calls out, results in, control out), a reader
/// thread that completes calls in the order they were sent, an outbox that batches calls onto the pipe, and the
/// worker's stdout/stderr forwarded line by line.
/// </summary>
internal sealed class WorkerConnection
{
    /// <summary>
    /// Pipe ends are inherited by whatever process starts while they are open; starting one worker at a time keeps
    /// worker A from holding worker B's pipes (which would hide B's death and keep B alive after the parent dies).
    /// </summary>
    private static readonly object SpawnLock = new();

    private readonly IWorkerOwner _owner;
    private readonly PoolOptions _options;
    private readonly Process _process;
    private readonly AnonymousPipeServerStream _toWorker;
    private readonly AnonymousPipeServerStream _fromWorker;
    private readonly AnonymousPipeServerStream _control;
    private readonly FrameOutbox _outbox;
    private readonly FrameReader _reader;
    private readonly Queue<PoolResult> _inFlight = new();
    private readonly HashSet<Assembly> _loadedAssemblies = [];
    private readonly StandardErrorTail _stderr = new(20);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _controlGate = new();
    private int _lost;
    private volatile bool _stopping;

    private WorkerConnection(int id, Process process, AnonymousPipeServerStream toWorker, AnonymousPipeServerStream fromWorker,
        AnonymousPipeServerStream control, PoolOptions options, IWorkerOwner owner)
    {
        Id = id;
        _process = process;
        ProcessId = process.Id;
        _toWorker = toWorker;
        _fromWorker = fromWorker;
        _control = control;
        _options = options;
        _owner = owner;
        _outbox = new FrameOutbox(toWorker, $"ProcPool worker {id} writer");
        _reader = new FrameReader(fromWorker, options.MaxFrameSize);
    }

    /// <summary>The pool's number for this worker; a replacement gets a new one.</summary>
    public int Id { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Calls the scheduler has given this worker and not yet seen finish. Guarded by the scheduler's lock.</summary>
    internal int Load;

    /// <summary>Moving average of how long a call occupies this worker, in stopwatch ticks. Guarded by the scheduler's lock.</summary>
    internal double AverageServiceTicks = -1;

    /// <summary>Tasks this worker has finished (for recycling). Guarded by the scheduler's lock.</summary>
    internal int CompletedCalls;

    public bool IsLost => Volatile.Read(ref _lost) != 0;

    public bool IsStopping => _stopping;

    public Task Ready => _ready.Task;

    public static WorkerConnection Start(int id, WorkerLaunchPlan plan, PoolOptions options, IWorkerOwner owner)
    {
        WorkerConnection connection;
        lock (SpawnLock)
        {
            var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
            var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
            var control = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
            var arguments = new WorkerArguments(id, toWorker.GetClientHandleAsString(), fromWorker.GetClientHandleAsString(),
                control.GetClientHandleAsString(), options.MaxFrameSize, options.MaxDepth);
            var info = plan.CreateStartInfo(arguments);
            foreach (var (name, value) in options.WorkerEnvironment) info.Environment[name] = value;
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            try
            {
                process.Start();
            }
            catch (Exception e)
            {
                toWorker.Dispose();
                fromWorker.Dispose();
                control.Dispose();
                throw new InvalidOperationException($"Cannot start worker {id} ({plan.HostPath} exec {plan.WorkerAssemblyPath}): {e.Message}", e);
            }
            finally
            {
                toWorker.DisposeLocalCopyOfClientHandle();
                fromWorker.DisposeLocalCopyOfClientHandle();
                control.DisposeLocalCopyOfClientHandle();
            }
            connection = new WorkerConnection(id, process, toWorker, fromWorker, control, options, owner);
        }
        connection.Begin();
        return connection;
    }

    private void Begin()
    {
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data, isError: false);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data, isError: true);
        _process.Exited += (_, _) => OnProcessExited();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _outbox.Start();
        new Thread(ReaderLoop) { IsBackground = true, Name = $"ProcPool worker {Id} reader" }.Start();
    }

    /// <summary>Waits for the worker's hello; kills it and throws if it does not come in time.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"Worker {Id} (pid {ProcessId}) did not start within {timeout.TotalSeconds:0.#} s.{FormatStandardError(TimeSpan.FromMilliseconds(500))}");
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
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
            if (call.Task.Assembly is { } assembly && _loadedAssemblies.Add(assembly)) WriteLoadAssembly(writer, assembly);
            int start = FrameWriter.Begin(writer, FrameKind.Call);
            writer.WriteInt64(call.CallId);
            writer.WriteUInt32(call.Task.Id);
            try
            {
                call.WriteArguments(writer);
                FrameWriter.End(writer, start, _options.MaxFrameSize);
            }
            catch (Exception e)
            {
                writer.Truncate(start);
                encodingError = e;
            }
            if (encodingError is null)
            {
                call.Worker = this;
                call.StartedTimestamp = _inFlight.Count == 0 ? Stopwatch.GetTimestamp() : 0;
                _inFlight.Enqueue(call);
            }
        }
        finally
        {
            _outbox.Release(wakeWriter: true);
        }
        if (encodingError is null) return SendOutcome.Sent;
        call.TrySetException(encodingError as PoolSerializationException
            ?? new PoolSerializationException($"Cannot encode the arguments of {call.TaskName}: {encodingError.Message}", encodingError));
        return SendOutcome.Failed;
    }

    private static void WriteLoadAssembly(PoolWriter writer, Assembly assembly)
    {
        int start = FrameWriter.Begin(writer, FrameKind.LoadAssembly);
        writer.WriteString(assembly.FullName);
        writer.WriteString(assembly.Location);
        FrameWriter.End(writer, start, int.MaxValue);
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
                _control.Write(frame);
                _control.Flush();
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
        int start = FrameWriter.Begin(writer, FrameKind.Shutdown);
        FrameWriter.End(writer, start, int.MaxValue);
        _outbox.Release(wakeWriter: true);
    }

    /// <summary>Waits for the process to exit; kills it if it has not by then.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopping = true;
        using (var timeout = new CancellationTokenSource(grace))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }
        try
        {
            using var afterKill = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(afterKill.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The kernel has not reaped it yet; nothing more we can do.
        }
    }

    /// <summary>Kills the worker now; its in-flight calls are reported through <see cref="IWorkerOwner.OnWorkerLost"/>.</summary>
    public void Kill(bool stopping = true)
    {
        if (stopping) _stopping = true;
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    private void ReaderLoop()
    {
        Exception? cause = null;
        try
        {
            while (true)
            {
                while (_reader.TryReadBuffered(out var frame)) Handle(frame);
                if (!_reader.Fill()) break;
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
        OnLost(cause);
        // Only this thread touches the reader's buffer, so only this thread may give it back.
        _reader.Dispose();
    }

    private void Handle(Frame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Hello:
                _ready.TrySetResult();
                break;
            case FrameKind.Result:
            case FrameKind.Error:
                HandleCompletion(frame);
                break;
            default:
                throw new PoolProtocolException($"Worker {Id} sent a frame of unknown kind {(byte)frame.Kind}.");
        }
    }

    private void HandleCompletion(Frame frame)
    {
        var reader = new PoolReader(frame.Payload, _options.MaxDepth);
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
        long serviceTicks;
        lock (_outbox.Gate)
        {
            if (!_inFlight.TryPeek(out call!) || call.CallId != callId)
                throw new PoolProtocolException($"Worker {Id} answered call {callId}, but the oldest call it holds is {(call is null ? "none" : call.CallId)}.");
            _inFlight.Dequeue();
            serviceTicks = call.StartedTimestamp == 0 ? 0 : now - call.StartedTimestamp;
            if (_inFlight.TryPeek(out var next)) next.StartedTimestamp = now;
        }
        call.Worker = null;
        if (!call.IsReady) call.SetCompletedBy(Id, ProcessId);
        if (frame.Kind == FrameKind.Result) CompleteWithResult(call, ref reader);
        else CompleteWithError(call, ref reader);
        _owner.OnCallFinished(this, serviceTicks);
    }

    private static void CompleteWithResult(PoolResult call, ref PoolReader reader)
    {
        try
        {
            call.SetResultFrom(ref reader);
        }
        catch (Exception e)
        {
            call.TrySetException(new PoolSerializationException($"Cannot decode the result of {call.TaskName}: {e.Message}", e));
        }
    }

    private void CompleteWithError(PoolResult call, ref PoolReader reader)
    {
        Exception error;
        try
        {
            var kind = (ErrorKind)reader.ReadByte();
            var remote = RemoteErrorCodec.Read(ref reader, call.TaskName, Id, ProcessId);
            error = kind switch
            {
                ErrorKind.Cancelled => new OperationCanceledException($"{call.TaskName} was cancelled in worker {Id}.", remote, call.CancellationToken),
                ErrorKind.Serialization => new PoolSerializationException($"Worker {Id} could not decode the arguments or encode the result of {call.TaskName}: {remote.RemoteMessage}", remote),
                _ => remote,
            };
        }
        catch (PoolSerializationException e)
        {
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
        _ = Task.Delay(500).ContinueWith(_ => OnLost(null), TaskScheduler.Default);
    }

    private void OnLost(Exception? cause)
    {
        if (Interlocked.Exchange(ref _lost, 1) != 0) return;
        if (cause is not null || !HasExited) Kill(stopping: false);
        _outbox.Dispose();
        try
        {
            _process.WaitForExit(2000);
        }
        catch (Exception)
        {
            // Reaping is best effort.
        }
        string exit = ExitDescription.Describe(_process);
        var stderr = _stderr.Snapshot(TimeSpan.FromMilliseconds(300));
        PoolResult[] calls;
        lock (_outbox.Gate)
        {
            calls = [.. _inFlight];
            _inFlight.Clear();
        }
        _ready.TrySetException(new InvalidOperationException(
            $"Worker {Id} (pid {ProcessId}) exited before it was ready: {exit}.{FormatLines(stderr)}"));
        _toWorker.Dispose();
        _fromWorker.Dispose();
        lock (_controlGate) _control.Dispose();
        _owner.OnWorkerLost(this, calls, exit, stderr, cause);
    }

    private string FormatStandardError(TimeSpan wait) => FormatLines(_stderr.Snapshot(wait));

    private static string FormatLines(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? "" : " Its stderr ended with:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  " + l));

    public override string ToString() => $"worker {Id} (pid {ProcessId})";
}
