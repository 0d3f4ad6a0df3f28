using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// Collects outgoing frames and writes them to a stream in batches. Producers append under a short lock and
/// never block on the stream; a dedicated writer thread (or a caller that is about to block anyway, through
/// <see cref="FlushInline"/>) swaps the buffer out and writes it with one system call. A reader thread on the
/// same connection must never write inline: if both pipes are full, that would deadlock the two processes.
/// </summary>
internal sealed class FrameOutbox : IDisposable
{
    private readonly Stream _stream;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private PoolWriter _pending = new(64 * 1024);
    private PoolWriter? _spare = new(64 * 1024);
    private bool _flushing;
    private bool _signaled;
    private bool _completed;
    private Exception? _fault;

    private readonly int _maxDepth;

    public FrameOutbox(Stream stream, string threadName, int maxDepth = PoolReader.DefaultMaxDepth)
    {
        _stream = stream;
        _maxDepth = maxDepth;
        _pending.MaxDepth = maxDepth;
        _spare!.MaxDepth = maxDepth;
        _thread = new Thread(WriterLoop) { IsBackground = true, Name = threadName };
    }

    /// <summary>The write failure that stopped this outbox (the other side is gone), if any.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>The lock that orders frames; callers that keep a queue in frame order append to it under this lock.</summary>
    public object Gate => _gate;

    public void Start() => _thread.Start();

    /// <summary>
    /// Enters the lock and returns the buffer to append frames to. Must be paired with <see cref="Release"/>.
    /// Returns null if the outbox is closed.
    /// </summary>
    public PoolWriter? Acquire()
    {
        Monitor.Enter(_gate);
        if (_completed)
        {
            Monitor.Exit(_gate);
            return null;
        }
        return _pending;
    }

    /// <summary>Leaves the lock; with <paramref name="wakeWriter"/>, makes sure the writer thread sends what is pending.</summary>
    public void Release(bool wakeWriter = true)
    {
        if (wakeWriter && !_flushing && !_signaled && _pending.Length > 0)
        {
            _signaled = true;
            Monitor.Pulse(_gate);
        }
        Monitor.Exit(_gate);
    }

    /// <summary>Makes sure the writer thread sends what is pending (for frames appended with <c>wakeWriter: false</c>).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (!_flushing && !_signaled && _pending.Length > 0)
            {
                _signaled = true;
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Appends bytes that already form whole frames.</summary>
    public bool AppendFrames(ReadOnlySpan<byte> frames, bool wakeWriter = true)
    {
        var writer = Acquire();
        if (writer is null) return false;
        writer.WriteRaw(frames);
        Release(wakeWriter);
        return true;
    }

    /// <summary>
    /// Writes what is pending on the calling thread, unless another thread is already writing (then that one
    /// sends it). For threads that would block waiting anyway; saves the writer thread's wake-up.
    /// </summary>
    public void FlushInline()
    {
        lock (_gate)
        {
            if (_flushing || _pending.Length == 0) return;
            _flushing = true;
        }
        FlushLoop();
    }

    /// <summary>Sends what is pending, then stops the writer thread.</summary>
    public void Complete(TimeSpan wait)
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
        if (Thread.CurrentThread != _thread && _thread.IsAlive) _thread.Join(wait);
    }

    private void WriterLoop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_signaled && !_completed) Monitor.Wait(_gate);
                _signaled = false;
                if (_flushing)
                {
                    if (_completed) return;
                    continue;
                }
                if (_pending.Length == 0)
                {
                    if (_completed) return;
                    continue;
                }
                _flushing = true;
            }
            FlushLoop();
        }
    }

    private void FlushLoop()
    {
        while (true)
        {
            PoolWriter batch;
            lock (_gate)
            {
                if (_pending.Length == 0 || _fault is not null)
                {
                    _pending.Reset();
                    _flushing = false;
                    return;
                }
                batch = _pending;
                _pending = _spare ?? new PoolWriter(64 * 1024) { MaxDepth = _maxDepth };
                _spare = null;
            }
            try
            {
                _stream.Write(batch.WrittenSpan);
                _stream.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                lock (_gate)
                {
                    _fault ??= e;
                    _completed = true;
                }
            }
            batch.Reset();
            batch.Shrink();
            lock (_gate) _spare = batch;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
