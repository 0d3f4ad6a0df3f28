using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipes;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using ProcPool.Interop;
using ProcPool.Protocol;
using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool.Hosting;

/// <summary>
/// The loop inside a worker process. The main thread reads call frames and runs them one at a time, in order
/// (a worker is one core's worth of work, as in Python); results are batched back through an outbox. A second
/// thread reads the control pipe, so a cancel reaches a running task, and exits the process when the parent's
/// end of that pipe closes: a worker never outlives its parent.
/// </summary>
internal sealed class WorkerHost : IDisposable
{
    private readonly int _workerId;
    private readonly int _maxFrameSize;
    private readonly int _maxDepth;
    private readonly bool _exitProcessWhenParentGone;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Stream _control;
    private readonly FrameReader _reader;
    private readonly FrameOutbox _outbox;
    private readonly PoolWriter _scratch = new(64 * 1024);
    private readonly object _cancelGate = new();
    private readonly CallIdSet _cancelledBeforeStart = new();
    private Dictionary<string, string>? _loadFailures; // created on the first failure
    private SharedRing? _callsRing;
    private SharedRing? _resultsRing;
    private long _runningCallId = -1;
    private CancellationTokenSource? _runningCancellation;
    private volatile bool _stopping;

    // exitProcessWhenParentGone: true in a worker process, which exits when the parent's end of the control pipe
    // closes, even if a task is stuck; false for an in-process worker, which must never end the application.
    public WorkerHost(Stream input, Stream output, Stream control, int workerId, int maxFrameSize, int maxDepth, bool exitProcessWhenParentGone)
    {
        _input = input;
        _output = output;
        _control = control;
        _workerId = workerId;
        _maxFrameSize = maxFrameSize;
        _maxDepth = maxDepth;
        _exitProcessWhenParentGone = exitProcessWhenParentGone;
        _reader = new FrameReader(_input, maxFrameSize);
        _outbox = new FrameOutbox(_output, "pp-results-out", maxDepth);
        _scratch.MaxDepth = maxDepth;
    }

    /// <summary>A host on the pipes this worker process inherited from its parent.</summary>
    public static WorkerHost FromInheritedPipes(WorkerArguments arguments)
    {
        var input = InheritedHandles.OpenPipe(arguments.InputHandle, FileAccess.Read);
        var output = InheritedHandles.OpenPipe(arguments.OutputHandle, FileAccess.Write);
        var control = InheritedHandles.OpenPipe(arguments.ControlHandle, FileAccess.Read);
        return new WorkerHost(input, output, control, arguments.WorkerId, arguments.MaxFrameSize, arguments.MaxDepth, exitProcessWhenParentGone: true);
    }

    public int Run()
    {
        _outbox.Start();
        SendHello();
        var control = new Thread(ControlLoop) { IsBackground = true, Name = "pp-control-in" };
        control.Start();
        try
        {
            while (true)
            {
                while (_reader.TryReadBuffered(out var frame))
                {
                    if (!Handle(frame)) return Stop(0);
                }
                // About to block on the pipe: send finished results now rather than waking the writer thread.
                _outbox.FlushInline();
                if (!_reader.Fill()) return Stop(0);
            }
        }
        catch (PoolProtocolException e)
        {
            Console.Error.WriteLine($"ProcPool worker {_workerId}: {e.Message}");
            return Stop(3);
        }
        catch (IOException)
        {
            return Stop(0);
        }
    }

    private int Stop(int exitCode)
    {
        _stopping = true;
        _outbox.FlushInline();
        _outbox.Complete(TimeSpan.FromSeconds(5));
        return exitCode;
    }

    private void SendHello()
    {
        var writer = _outbox.Acquire()!;
        int start = FrameWriter.Begin(writer, FrameKind.Hello);
        writer.WriteInt32(Environment.ProcessId);
        FrameWriter.End(writer, start, int.MaxValue);
        _outbox.Release(wakeWriter: false);
        _outbox.FlushInline();
    }

    private bool Handle(Frame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Call:
            case FrameKind.Chunk:
                RunCall(frame);
                return true;
            case FrameKind.LoadAssembly:
                LoadAssembly(frame.Payload);
                return true;
            case FrameKind.Ping:
                WritePong();
                return true;
            case FrameKind.SharedMemory:
                MapSharedMemory(frame.Payload);
                return true;
            case FrameKind.SharedBody:
                RunSharedCall(frame.Payload);
                return true;
            case FrameKind.Shutdown:
                return false;
            default:
                throw new PoolProtocolException($"Unexpected frame kind {(byte)frame.Kind} from the parent.");
        }
    }

    private void RunCall(Frame frame)
    {
        bool isChunk = frame.Kind == FrameKind.Chunk;
        var reader = frame.OpenReader(_maxDepth);
        long callId;
        uint taskId;
        try
        {
            callId = reader.ReadInt64();
            taskId = reader.ReadUInt32();
        }
        catch (PoolSerializationException e)
        {
            throw new PoolProtocolException("A call frame is too short for its header.", e);
        }

        PoolTaskDescriptor? task;
        try
        {
            task = PoolTaskRegistry.FindById(taskId);
        }
        catch (Exception e)
        {
            // Whatever the lookup throws (two tasks with one id, a task type that does not load in this process), it
            // is that call's failure, not the worker's.
            WriteError(callId, ErrorKind.UnknownTask, e);
            return;
        }
        if (task is null)
        {
            WriteError(callId, ErrorKind.UnknownTask, new InvalidOperationException(DescribeUnknownTask(taskId)));
            return;
        }

        CancellationTokenSource? cancellation;
        lock (_cancelGate)
        {
            if (_cancelledBeforeStart.Remove(callId))
            {
                WriteError(callId, ErrorKind.Cancelled, new OperationCanceledException($"{task.Name} was cancelled before it started."));
                return;
            }
            _runningCallId = callId;
            // A chunk always gets a source: a cancel must stop it between items even if the task takes no token.
            _runningCancellation = cancellation = task.TakesCancellationToken || isChunk ? new CancellationTokenSource() : null;
        }
        try
        {
            // A large array in a single result is copied once, from the task's array straight into the ring (see
            // PoolWriter), before the next task can touch it. Not in a chunk: a task may reuse one array for every
            // item, and the chunk's results are copied out only after its last item.
            _scratch.DefersLargeArrays = !isChunk && _resultsRing is not null;
            if (isChunk) RunChunk(task, callId, ref reader, cancellation!.Token);
            else RunSingle(task, callId, ref reader, cancellation);
        }
        finally
        {
            _scratch.DefersLargeArrays = false;
            lock (_cancelGate)
            {
                _runningCallId = -1;
                _runningCancellation = null;
            }
            cancellation?.Dispose();
        }
        if (_resultsRing is { } ring && ring.TryReserveFrame(_scratch, 0, out var moved))
        {
            // The stand-in frame goes out first and the body follows into the ring, so the parent decodes while this
            // thread copies.
            _outbox.AppendFrames(_scratch.UnfilledSpan[moved.StandInStart..], wakeWriter: false);
            _outbox.FlushInline();
            ring.CopyIn(_scratch, moved);
        }
        else
        {
            // With more calls already buffered, let the writer thread send this result while the next one runs.
            _outbox.AppendFrames(_scratch.WrittenSpan, wakeWriter: _reader.Buffered > 0);
        }
        _scratch.Reset();
        _scratch.Shrink();
    }

    private void RunSingle(PoolTaskDescriptor task, long callId, ref PoolReader arguments, CancellationTokenSource? cancellation)
    {
        int start = FrameWriter.Begin(_scratch, FrameKind.Result);
        _scratch.WriteInt64(callId);
        var token = cancellation?.Token ?? CancellationToken.None;
        var failure = Invoke(task, ref arguments, token);
        if (failure is null)
        {
            try
            {
                FrameWriter.End(_scratch, start, _maxFrameSize);
                return;
            }
            catch (PoolSerializationException e)
            {
                failure = (ErrorKind.Serialization, e);
            }
        }
        _scratch.Truncate(start);
        WriteErrorFrame(callId, failure.Value.Kind, failure.Value.Error);
    }

    /// <summary>
    /// Runs a chunk of a map: each item's arguments arrive length-prefixed, so a bad item cannot derail the
    /// others, and each result goes back with a status byte. A cancel stops the chunk between items.
    /// </summary>
    private void RunChunk(PoolTaskDescriptor task, long callId, ref PoolReader reader, CancellationToken token)
    {
        int start = FrameWriter.Begin(_scratch, FrameKind.ChunkResult);
        _scratch.WriteInt64(callId);
        int count;
        try
        {
            count = reader.ReadLength(minElementSize: 4);
        }
        catch (PoolSerializationException e)
        {
            _scratch.Truncate(start);
            WriteErrorFrame(callId, ErrorKind.Serialization, e);
            return;
        }
        _scratch.WriteInt32(Math.Max(count, 0));
        for (int i = 0; i < count; i++)
        {
            int itemStart = _scratch.Length;
            (ErrorKind Kind, Exception Error)? failure;
            if (token.IsCancellationRequested)
            {
                failure = (ErrorKind.Cancelled, new OperationCanceledException($"{task.Name} was cancelled before item {i} of its chunk."));
            }
            else
            {
                try
                {
                    int length = reader.ReadLength();
                    var item = new PoolReader(reader.ReadRaw(Math.Max(length, 0)), _maxDepth);
                    _scratch.WriteByte(0);
                    int lengthAt = _scratch.Reserve(4);
                    failure = Invoke(task, ref item, token);
                    if (failure is null) _scratch.PatchInt32(lengthAt, _scratch.Length - lengthAt - 4);
                }
                catch (PoolSerializationException e)
                {
                    // The chunk's own framing is broken: nothing after this item can be trusted.
                    _scratch.Truncate(start);
                    WriteErrorFrame(callId, ErrorKind.Serialization, e);
                    return;
                }
            }
            if (failure is { } f)
            {
                _scratch.Truncate(itemStart);
                _scratch.WriteByte(1);
                _scratch.WriteByte((byte)f.Kind);
                RemoteErrorCodec.Write(_scratch, f.Error);
            }
        }
        try
        {
            FrameWriter.End(_scratch, start, _maxFrameSize);
        }
        catch (PoolSerializationException e)
        {
            _scratch.Truncate(start);
            WriteErrorFrame(callId, ErrorKind.Serialization,
                new PoolSerializationException($"The results of a chunk of {count} items exceed the maximum frame size; use a smaller chunk size. {e.Message}", e));
        }
    }

    /// <summary>Runs the task on one item's arguments, writing its result to the scratch buffer; returns the failure, if any.</summary>
    private (ErrorKind Kind, Exception Error)? Invoke(PoolTaskDescriptor task, ref PoolReader arguments, CancellationToken token)
    {
        try
        {
            var pending = task.Invoke(ref arguments, _scratch, token);
            if (pending.IsCompletedSuccessfully) pending.GetAwaiter().GetResult();
            else pending.AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (OperationCanceledException e) when (token.IsCancellationRequested)
        {
            return (ErrorKind.Cancelled, e);
        }
        catch (PoolSerializationException e)
        {
            return (ErrorKind.Serialization, e);
        }
        catch (Exception e)
        {
            return (ErrorKind.TaskFailed, e);
        }
    }

    private void WritePong()
    {
        FrameWriter.WriteEmptyFrame(_scratch, FrameKind.Pong);
        _outbox.AppendFrames(_scratch.WrittenSpan, wakeWriter: _reader.Buffered > 0);
        _scratch.Reset();
    }

    private void WriteError(long callId, ErrorKind kind, Exception error)
    {
        WriteErrorFrame(callId, kind, error);
        _outbox.AppendFrames(_scratch.WrittenSpan, wakeWriter: _reader.Buffered > 0);
        _scratch.Reset();
    }

    private void WriteErrorFrame(long callId, ErrorKind kind, Exception error)
    {
        int start = FrameWriter.Begin(_scratch, FrameKind.Error);
        _scratch.WriteInt64(callId);
        _scratch.WriteByte((byte)kind);
        RemoteErrorCodec.Write(_scratch, error);
        FrameWriter.End(_scratch, start, int.MaxValue);
    }

    private string DescribeUnknownTask(uint taskId)
    {
        var message = $"The worker has no task with id 0x{taskId:x8}.";
        if (_loadFailures is { Count: > 0 })
            message += " Assemblies that failed to load: " + string.Join("; ", _loadFailures.Select(f => $"{f.Key}: {f.Value}"));
        else
            message += " The worker runs a different build of the task's assembly than the parent.";
        return message;
    }

    private void MapSharedMemory(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 3 * sizeof(int))
            throw new PoolProtocolException($"A shared-memory setup frame has {payload.Length} bytes of payload, expected 12.");
        if (!OperatingSystem.IsLinux()) return;
        int callsFd = BitConverter.ToInt32(payload);
        int resultsFd = BitConverter.ToInt32(payload[4..]);
        int capacity = BitConverter.ToInt32(payload[8..]);
        var calls = SharedRing.Map(callsFd, capacity);
        var results = SharedRing.Map(resultsFd, capacity);
        // The mappings outlive the descriptors; closed now, processes a task starts cannot inherit them.
        LibC.Close(callsFd);
        LibC.Close(resultsFd);
        if (calls is null || results is null)
        {
            calls?.Dispose();
            results?.Dispose();
            Console.Error.WriteLine($"ProcPool worker {_workerId}: cannot map the shared memory for large messages; they go through the pipes.");
            return;
        }
        _callsRing = calls;
        _resultsRing = results;
        var writer = _outbox.Acquire();
        if (writer is null) return;
        FrameWriter.WriteEmptyFrame(writer, FrameKind.SharedMemoryReady);
        _outbox.Release(wakeWriter: false);
        // Now, not with the pong after the warm-up: the parent's start waits for this, not for the warm-up.
        _outbox.FlushInline();
    }

    private void RunSharedCall(ReadOnlySpan<byte> payload)
    {
        var ring = _callsRing ?? throw new PoolProtocolException("A shared-memory frame arrived before the shared memory was set up.");
        // No liveness check while waiting for the parent's bytes: if the parent dies, the control thread ends this
        // process (an in-process worker gets no shared memory).
        var frame = ring.ReadFrame(payload, _maxFrameSize, senderGone: null, out long end);
        if (frame.Kind is not (FrameKind.Call or FrameKind.Chunk))
            throw new PoolProtocolException($"Received a frame of kind {frame.Kind} through shared memory; only calls go that way.");
        RunCall(frame);
        ring.Release(end);
    }

    private void LoadAssembly(ReadOnlySpan<byte> payload)
    {
        var reader = new PoolReader(payload);
        string simpleName = reader.ReadString() ?? "";
        string name = reader.ReadString() ?? "";
        string path = reader.ReadString() ?? "";
        try
        {
            Assembly assembly;
            try
            {
                // By simple name where the parent could tell it (the app's own assemblies load from its deps.json either
                // way): parsing the full name here would page in string-search and culture code (ICU) in every worker.
                assembly = Assembly.Load(simpleName.Length > 0 ? new AssemblyName { Name = simpleName } : new AssemblyName(name));
                if (!string.Equals(assembly.FullName, name, StringComparison.Ordinal)) CheckSameIdentity(assembly, name);
            }
            catch (FileNotFoundException notFound) when (!RuntimeFeature.IsDynamicCodeSupported)
            {
                throw new FileNotFoundException(
                    $"This worker ({Environment.ProcessPath}) is a native executable that does not contain {name}: " +
                    "build it with a reference to the assembly that declares the tasks (docs/native-workers.md).", name, notFound);
            }
            catch (FileNotFoundException) when (File.Exists(path))
            {
                assembly = LoadFromPath(path);
            }
            PoolTaskRegistry.EnsureRegistered(assembly);
        }
        catch (Exception e)
        {
            (_loadFailures ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = e.Message;
        }
    }

    // Only reached on the shared runtime, where nothing is trimmed: a NativeAOT worker contains its tasks (the
    // dynamic-code check above keeps it from getting here).
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Not reached in a trimmed (NativeAOT) worker.")]
    private static Assembly LoadFromPath(string path) => AssemblyLoadContext.Default.LoadFromAssemblyPath(path);

    /// <summary>
    /// Loaded by simple name, the assembly may be another build than the parent's: accept what the runtime's binder
    /// would have accepted for the full name (same name and key, same or higher version), refuse the rest.
    /// </summary>
    private static void CheckSameIdentity(Assembly loaded, string wantedFullName)
    {
        var wanted = new AssemblyName(wantedFullName);
        var got = loaded.GetName();
        bool sameKey = (wanted.GetPublicKeyToken() ?? []).AsSpan().SequenceEqual(got.GetPublicKeyToken() ?? []);
        if (!sameKey || (wanted.Version is { } version && (got.Version is null || got.Version < version)))
            throw new FileLoadException($"The worker resolved {loaded.FullName}, but the parent's tasks come from {wantedFullName}.");
    }

    private void ControlLoop()
    {
        try
        {
            using var reader = new FrameReader(_control, 64);
            while (true)
            {
                while (reader.TryReadBuffered(out var frame))
                {
                    if (frame.Kind == FrameKind.Cancel && frame.Payload.Length >= 8)
                        Cancel(BitConverter.ToInt64(frame.Payload));
                }
                if (!reader.Fill()) break;
            }
        }
        catch (Exception)
        {
            // A broken control pipe means the same as a closed one: the parent is gone.
        }
        finally
        {
            // This thread is the pipe's only reader, so it closes it (disposing a pipe another thread is blocked
            // reading waits for that read).
            _control.Dispose();
        }
        if (_stopping || !_exitProcessWhenParentGone) return;
        // The parent died or dropped us: do not linger as an orphan, even if a task is stuck in a loop.
        var killer = new Thread(() =>
        {
            Thread.Sleep(1500);
            Process.GetCurrentProcess().Kill();
        }) { IsBackground = true };
        killer.Start();
        Environment.Exit(0);
    }

    private void Cancel(long callId)
    {
        CancellationTokenSource? toCancel = null;
        lock (_cancelGate)
        {
            if (callId == _runningCallId) toCancel = _runningCancellation;
            else _cancelledBeforeStart.Add(callId);
        }
        try
        {
            toCancel?.Cancel();
        }
        catch (Exception)
        {
            // A cancellation callback in user code threw; the task sees the cancellation anyway.
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _outbox.Dispose();
        _input.Dispose();
        _output.Dispose();
        // _control belongs to the control thread, which closes it when the parent's end closes.
    }
}
