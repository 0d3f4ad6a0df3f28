using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// Collects outgoing frames and writes them to a stream in batches. Producers append under a short lock and
/// never block on the stream; a dedicated writer thread (or a caller that is about to block anyway, through
/// <see cref="FlushInline"/>) swaps the buffer out and writes it with one system call. A reader thread on the
/// same connection must never write inline: if both pipes are full, that would deadlock the two processes.
/// A large frame can go through a <see cref="SharedRing"/> instead (<see cref="TryMoveToRing"/>): its stand-in frame
/// is written to the stream in its place and its body is copied into the ring right after that write, by the same
/// flushing thread, so the receiver reads the body while it is being copied.
/// </summary>
internal sealed class FrameOutbox : IDisposable
{
    private readonly Stream _stream;
    private readonly object _gate = new();
    private readonly string _threadName;
    // Created on the first wake after Start, not before: a worker flushes inline whenever it is about to block, so
    // until a burst of calls it never needs the thread, and creating one cost it about half a millisecond at start.
    private Thread? _thread;
    private bool _started;
    private PoolWriter _pending = new(64 * 1024);
    private PoolWriter? _spare = new(64 * 1024);
    // Bodies of frames in _pending that go through a ring, in order; swapped out with _pending.
    private RingBodyList _pendingBodies = new();
    private RingBodyList? _spareBodies = new();
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
        _threadName = threadName;
    }

    /// <summary>The write failure that stopped this outbox (the other side is gone), if any.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>The lock that orders frames; callers that keep a queue in frame order append to it under this lock.</summary>
    public object Gate => _gate;

    /// <summary>Lets the writer thread run: it is created on the first wake (at once if one came before).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _started = true;
            if (_signaled && _thread is null) StartWriterThread();
        }
    }

    /// <summary>Whether the writer thread has been created (for tests).</summary>
    internal bool HasWriterThread
    {
        get { lock (_gate) return _thread is not null; }
    }

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
        try
        {
            if (wakeWriter && !_flushing && !_signaled && _pending.Length > 0) Signal();
        }
        finally
        {
            // Creating the writer thread can fail (no threads left); the lock must not stay held.
            Monitor.Exit(_gate);
        }
    }

    /// <summary>Makes sure the writer thread sends what is pending (for frames appended with <c>wakeWriter: false</c>).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (!_flushing && !_signaled && _pending.Length > 0) Signal();
        }
    }

    /// <summary>
    /// Between <see cref="Acquire"/> and <see cref="Release"/>: if the frame at <paramref name="frameStart"/> (the
    /// last one appended) is large and fits <paramref name="ring"/>, sends it through the ring; if not, fills in any
    /// array the frame deferred (<see cref="PoolWriter.DefersLargeArrays"/>), since it goes through the stream. Every
    /// frame that goes to one ring must go through this outbox, whose single flushing thread copies the bodies in order.
    /// </summary>
    public bool TryMoveToRing(SharedRing? ring, int frameStart)
    {
        if (ring is null || !ring.TryReserveFrame(_pending, frameStart, out var reservation))
        {
            _pending.FillDeferredFrom(frameStart);
            return false;
        }
        _pendingBodies.Add(new RingBody(ring, reservation));
        return true;
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
        Thread? thread;
        lock (_gate)
        {
            _completed = true;
            // Without a writer thread, nothing else would send what is pending.
            if (_thread is null && _started && !_flushing && _pending.Length > 0) StartWriterThread();
            Monitor.PulseAll(_gate);
            thread = _thread;
        }
        if (thread is not null && Thread.CurrentThread != thread && thread.IsAlive) thread.Join(wait);
    }

    // Under _gate.
    private void Signal()
    {
        _signaled = true;
        if (_thread is not null) Monitor.Pulse(_gate);
        else if (_started) StartWriterThread();
    }

    // Under _gate; the new thread waits for it before it looks at the state. Recorded only once started, so a failed
    // start is tried again on the next wake.
    private void StartWriterThread()
    {
        var thread = new Thread(WriterLoop) { IsBackground = true, Name = _threadName };
        thread.Start();
        _thread = thread;
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
            RingBodyList bodies;
            lock (_gate)
            {
                if (_pending.Length == 0 || _fault is not null)
                {
                    _pending.Reset();
                    _pendingBodies.Clear();
                    _flushing = false;
                    return;
                }
                batch = _pending;
                bodies = _pendingBodies;
                _pending = _spare ?? new PoolWriter(64 * 1024) { MaxDepth = _maxDepth };
                _pendingBodies = _spareBodies ?? new RingBodyList();
                _spare = null;
                _spareBodies = null;
            }
            try
            {
                WriteBatch(batch, bodies);
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
            bodies.Clear();
            lock (_gate)
            {
                _spare = batch;
                _spareBodies = bodies;
            }
        }
    }

    /// <summary>
    /// Writes the batch to the stream, each ring body replaced by its stand-in frame, and copies each body into its
    /// ring right after its stand-in has been written, before anything that follows it. The receiver stops reading the
    /// stream while it waits for a body; if the frames after a stand-in were written first, a pipe too small for them
    /// would block this thread before the copy, and both processes would wait for each other.
    /// </summary>
    private void WriteBatch(PoolWriter batch, RingBodyList bodies)
    {
        // Unfilled: the only arrays still deferred are inside ring bodies, which the stream write skips and CopyIn
        // takes from the arrays themselves.
        var bytes = batch.UnfilledSpan;
        int from = 0;
        for (int i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            var reservation = body.Reservation;
            if (reservation.FrameStart > from) _stream.Write(bytes[from..reservation.FrameStart]);
            _stream.Write(bytes[reservation.StandInStart..reservation.StandInEnd]);
            _stream.Flush();
            body.Ring.CopyIn(batch, reservation);
            from = reservation.StandInEnd;
        }
        if (from < bytes.Length) _stream.Write(bytes[from..]);
        _stream.Flush();
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
