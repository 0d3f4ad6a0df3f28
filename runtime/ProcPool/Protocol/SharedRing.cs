using System.Buffers.Binary;
using System.Diagnostics;
using ProcPool.Interop;
using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// One direction of the shared-memory side channel for large frames (Linux): a ring in a memfd both processes map.
/// The sender reserves room for a large frame's body, sends a small <see cref="FrameKind.SharedBody"/> frame through
/// the pipe in its place, and only then copies the body in, in steps, publishing how far it has written; the receiver
/// starts decoding as soon as the small frame arrives and reads behind the sender (<see cref="BodyArrival"/>). It
/// releases the space by advancing a counter in the ring's header. Pipe order is the ring's order, so one counter of
/// each kind is enough. Never waits for room: a body that does not fit (ring full, or larger than the ring) goes
/// through the pipe as usual.
/// </summary>
/// <remarks>
/// Why: a pipe moves a payload through the kernel twice (write, read) at about 1.4 GB/s on the development VM, and
/// the frame reader and writer around it add copies of their own. Through the ring an 8 MiB argument costs one copy
/// in and the decoder's read out, and since the two overlap, the time of about one copy (see docs/wire-format.md).
/// </remarks>
internal sealed unsafe class SharedRing : IDisposable
{
    /// <summary>Frames below this go through the pipe: for them a pipe write is cheaper than the extra frame.</summary>
    public const int MinimumBodySize = 64 * 1024;

    /// <summary>
    /// The sender publishes its progress after each step of this size. Smaller steps let the receiver start sooner but
    /// make it catch up and wait more often; a two-thread probe on the development VM was fastest at 256 KiB.
    /// </summary>
    public const int CopyStep = 256 * 1024;

    // How long a receiver waiting for the next step yields before it sleeps: far longer than a step takes (about 50 us).
    private const int YieldingWaitMilliseconds = 20;

    // Header: the receiver's release position on the first cache line; the sender's written and reserved positions on
    // the second, so the two sides never write the same line.
    private const int ReleasedOffset = 0;
    private const int WrittenOffset = 64;
    private const int ReservedOffset = 72;
    private const int HeaderSize = 128;

    private readonly int _capacity;
    private readonly object _mappingGate = new();
    private readonly Incoming _incoming;
    private byte* _base;
    private long _produced;
    private long _released;

    private static long s_framesMoved;
    private static long s_framesRead;
    private static long s_bodiesAbandoned;

    /// <summary>Frames this process has sent through rings (for tests and the benchmark: proof the path is taken).</summary>
    internal static long FramesMoved => Interlocked.Read(ref s_framesMoved);

    /// <summary>Frames this process has received through rings.</summary>
    internal static long FramesRead => Interlocked.Read(ref s_framesRead);

    /// <summary>Frames this process stopped waiting for because their sender died mid-copy (for tests).</summary>
    internal static long BodiesAbandoned => Interlocked.Read(ref s_bodiesAbandoned);

    private SharedRing(byte* mapped, int capacity)
    {
        _base = mapped;
        _capacity = capacity;
        _incoming = new Incoming(this);
    }

    /// <summary>Bytes a body may take.</summary>
    public int Capacity => _capacity;

    /// <summary>
    /// Creates a ring in a new memfd, left inheritable so a worker started now receives it; returns null where
    /// memfds are not available. The caller closes <paramref name="fd"/> once the worker has started.
    /// </summary>
    public static SharedRing? Create(int capacity, out int fd)
    {
        fd = -1;
        if (!OperatingSystem.IsLinux() || capacity <= 0) return null;
        try
        {
            fd = LibC.MemfdCreate("procpool-ring", LibC.MemfdAllowSealing);
            if (fd < 0) return null;
            // Sealed at its size: neither side can shrink it under the other's mapping (which would be SIGBUS, not an error).
            if (LibC.Ftruncate(fd, HeaderSize + (long)capacity) != 0
                || LibC.Fcntl(fd, LibC.AddSeals, LibC.SealShrink | LibC.SealGrow | LibC.SealSeal) != 0)
            {
                LibC.Close(fd);
                fd = -1;
                return null;
            }
            var ring = Map(fd, capacity);
            if (ring is null)
            {
                LibC.Close(fd);
                fd = -1;
            }
            return ring;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            fd = -1;
            return null;
        }
    }

    /// <summary>Maps a ring created by <see cref="Create"/> (in the worker, from the inherited descriptor); null if it cannot.</summary>
    public static SharedRing? Map(int fd, int capacity)
    {
        if (!OperatingSystem.IsLinux() || fd < 0 || capacity <= 0) return null;
        nint mapped = LibC.Mmap(0, (nuint)(HeaderSize + (long)capacity),
            LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, fd, 0);
        if (mapped == LibC.MapFailed) return null;
        return new SharedRing((byte*)mapped, capacity);
    }

    /// <summary>Where a large frame's body goes in the ring, and where its stand-in frame sits in the writer.</summary>
    /// <param name="FrameStart">The frame's length prefix in the writer.</param>
    /// <param name="BodyStart">The body (version, kind, payload) in the writer.</param>
    /// <param name="BodyLength">The body's length.</param>
    /// <param name="RingStart">The ring position the body is to be copied to.</param>
    public readonly record struct Reservation(int FrameStart, int BodyStart, int BodyLength, long RingStart)
    {
        /// <summary>The <see cref="FrameKind.SharedBody"/> frame, appended to the writer right after the body.</summary>
        public int StandInStart => BodyStart + BodyLength;

        /// <summary>Where the stand-in frame ends.</summary>
        public int StandInEnd => StandInStart + StandInFrameSize;
    }

    /// <summary>A whole <see cref="FrameKind.SharedBody"/> frame: length prefix, version and kind, end position, body length.</summary>
    public const int StandInFrameSize = ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize + sizeof(long) + sizeof(int);

    /// <summary>
    /// If the frame that starts at <paramref name="frameStart"/> ends <paramref name="writer"/> and is large, reserves
    /// room for its body in the ring and appends a <see cref="FrameKind.SharedBody"/> frame after it, to go through the
    /// pipe in the frame's place. The body stays in the writer until <see cref="CopyIn(ReadOnlySpan{byte}, long)"/> moves it, after the stand-in
    /// frame has been sent. Sender side only.
    /// </summary>
    public bool TryReserveFrame(PoolWriter writer, int frameStart, out Reservation reservation)
    {
        reservation = default;
        // Unfilled: only the length prefix is read here, and a deferred array is copied straight into the ring later.
        var written = writer.UnfilledSpan;
        if (written.Length - frameStart < ProtocolConstants.LengthPrefixSize + MinimumBodySize) return false;
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(written[frameStart..]);
        if (frameStart + ProtocolConstants.LengthPrefixSize + bodyLength != written.Length) return false;
        if (!TryReserve(bodyLength, out long start)) return false;
        reservation = new Reservation(frameStart, frameStart + ProtocolConstants.LengthPrefixSize, bodyLength, start);
        int standIn = FrameWriter.Begin(writer, FrameKind.SharedBody);
        writer.WriteInt64(start + bodyLength);
        writer.WriteInt32(bodyLength);
        FrameWriter.End(writer, standIn, int.MaxValue);
        Debug.Assert(writer.Length == reservation.StandInEnd);
        Interlocked.Increment(ref s_framesMoved);
        return true;
    }

    private bool TryReserve(int length, out long start)
    {
        start = 0;
        if (_base is null || length > _capacity) return false;
        long released = Volatile.Read(ref *(long*)(_base + ReleasedOffset));
        start = _produced;
        if (released == start)
        {
            // Empty: start again at the beginning, so a run of large calls keeps touching the same pages.
            start = RoundUpToCapacity(start);
        }
        else
        {
            long offset = start % _capacity;
            if (offset + length > _capacity) start += _capacity - offset;
            if (start + length - released > _capacity) return false;
        }
        _produced = start + length;
        // Published before the stand-in frame can be sent: the receiver refuses a frame that ends past it, so a stray
        // frame is an error at once instead of a wait for bytes no one will write.
        Volatile.Write(ref *(long*)(_base + ReservedOffset), _produced);
        return true;
    }

    /// <summary>
    /// Copies a reserved body into the ring in steps of <see cref="CopyStep"/>, publishing the written position after
    /// each, so the receiver decodes behind the copy. Call in reservation order, after the stand-in frame is on its
    /// way. Stops quietly if the ring has been unmapped (the other side is gone).
    /// </summary>
    public void CopyIn(ReadOnlySpan<byte> body, long ringStart) => CopyPiece(body, ref ringStart);

    /// <summary>
    /// <see cref="CopyIn(ReadOnlySpan{byte}, long)"/> for the body <paramref name="reservation"/> describes in
    /// <paramref name="writer"/>, taking the arrays the writer deferred straight from where they are.
    /// </summary>
    public void CopyIn(PoolWriter writer, Reservation reservation)
    {
        var buffer = writer.UnfilledSpan;
        int at = reservation.BodyStart;
        int end = reservation.BodyStart + reservation.BodyLength;
        long ringPosition = reservation.RingStart;
        foreach (var deferred in writer.Deferred)
        {
            if (deferred.Offset < at) continue;
            if (deferred.Offset >= end) break;
            if (!CopyPiece(buffer[at..deferred.Offset], ref ringPosition) || !CopyPiece(deferred.Bytes, ref ringPosition)) return;
            at = deferred.Offset + deferred.Length;
        }
        CopyPiece(buffer[at..end], ref ringPosition);
    }

    private bool CopyPiece(ReadOnlySpan<byte> piece, ref long ringPosition)
    {
        for (int done = 0; done < piece.Length;)
        {
            int step = Math.Min(CopyStep, piece.Length - done);
            lock (_mappingGate)
            {
                if (_base is null) return false;
                piece.Slice(done, step).CopyTo(new Span<byte>(_base + HeaderSize + ringPosition % _capacity, step));
                done += step;
                ringPosition += step;
                Volatile.Write(ref *(long*)(_base + WrittenOffset), ringPosition);
            }
        }
        return true;
    }

    private long RoundUpToCapacity(long position)
    {
        long offset = position % _capacity;
        return offset == 0 ? position : position + (_capacity - offset);
    }

    /// <summary>
    /// The body a <see cref="FrameKind.SharedBody"/> frame points at, checked against the ring's bounds and order.
    /// Receiver side only; the span is valid until <see cref="Release"/>.
    /// </summary>
    public ReadOnlySpan<byte> Read(ReadOnlySpan<byte> sharedBodyPayload, int maxFrameSize, out long end)
    {
        if (sharedBodyPayload.Length != sizeof(long) + sizeof(int))
            throw new PoolProtocolException($"A shared-memory frame has {sharedBodyPayload.Length} bytes of payload, expected 12.");
        if (_base is null) throw new PoolProtocolException("A shared-memory frame arrived, but this side has no shared memory.");
        end = BinaryPrimitives.ReadInt64LittleEndian(sharedBodyPayload);
        int length = BinaryPrimitives.ReadInt32LittleEndian(sharedBodyPayload[sizeof(long)..]);
        if (length < ProtocolConstants.BodyHeaderSize || length > _capacity || length > maxFrameSize)
            throw new PoolProtocolException($"A shared-memory frame claims a body of {length:N0} bytes (ring of {_capacity:N0}, maximum frame {maxFrameSize:N0}).");
        // end is checked before it is used: end - length must not wrap around (a crafted end of long.MinValue would).
        if (end < length || end - length < _released)
            throw new PoolProtocolException($"A shared-memory frame ends at position {end:N0} with {length:N0} bytes, before the last released position {_released:N0}.");
        long start = end - length;
        long offset = start % _capacity;
        if (offset + length > _capacity)
            throw new PoolProtocolException($"A shared-memory frame of {length:N0} bytes at offset {offset:N0} runs past the ring's end ({_capacity:N0}).");
        long reserved = Volatile.Read(ref *(long*)(_base + ReservedOffset));
        if (end > reserved)
            throw new PoolProtocolException($"A shared-memory frame ends at position {end:N0}, past the {reserved:N0} its sender reserved.");
        Interlocked.Increment(ref s_framesRead);
        return new ReadOnlySpan<byte>(_base + HeaderSize + offset, length);
    }

    /// <summary>
    /// <see cref="Read"/>, then the body's version and kind (waiting for them), as <see cref="FrameReader"/> does for a
    /// frame on the pipe. The frame's payload may still be arriving: read it only through
    /// <see cref="Frame.OpenReader"/>. <paramref name="senderGone"/> is asked, while a read waits, whether the sender
    /// died (then the read throws <see cref="SharedBodyAbandonedException"/>); null where the process ends with its
    /// sender anyway. Which kinds may come this way is the caller's to check.
    /// </summary>
    public Frame ReadFrame(ReadOnlySpan<byte> sharedBodyPayload, int maxFrameSize, Func<bool>? senderGone, out long end)
    {
        var body = Read(sharedBodyPayload, maxFrameSize, out end);
        long bodyStart = end - body.Length;
        _incoming.Begin(bodyStart + ProtocolConstants.BodyHeaderSize, body.Length - ProtocolConstants.BodyHeaderSize, senderGone);
        WaitForWritten(bodyStart + ProtocolConstants.BodyHeaderSize, senderGone);
        if (body[0] != ProtocolConstants.Version)
            throw new PoolProtocolException($"Received a shared-memory frame of protocol version {body[0]}, expected {ProtocolConstants.Version}.");
        return new Frame((FrameKind)body[1], body[ProtocolConstants.BodyHeaderSize..], _incoming);
    }

    /// <summary>
    /// Gives the space up to <paramref name="end"/> back to the sender, once all of it has arrived: a reader that
    /// stopped early (a task that threw, a bad item) must not let the sender reuse space it is still copying into.
    /// </summary>
    public void Release(long end, Func<bool>? senderGone = null)
    {
        if (_base is null || end <= _released) return;
        WaitForWritten(end, senderGone);
        _released = end;
        Volatile.Write(ref *(long*)(_base + ReleasedOffset), end);
    }

    // Only the receiving thread reads this and only it unmaps a receiving ring, so the mapping is there; the check is
    // for a misuse, which must be an error rather than a read of unmapped memory.
    private long Written => _base is null
        ? throw new ObjectDisposedException(nameof(SharedRing))
        : Volatile.Read(ref *(long*)(_base + WrittenOffset));

    /// <summary>Waits until the sender has written up to <paramref name="position"/>; returns how far it has.</summary>
    private long WaitForWritten(long position, Func<bool>? senderGone)
    {
        long written = Written;
        return written >= position ? written : WaitSlow(position, senderGone);
    }

    private long WaitSlow(long position, Func<bool>? senderGone)
    {
        // The sender is normally copying on another core, a few microseconds ahead: spin, then yield, checking every
        // millisecond or so that it is alive. Only a sender stalled for longer (descheduled for long, stopped, dead)
        // gets the loop that sleeps, so a wait costs no CPU for long and no millisecond sleeps while the copy runs.
        var spinner = new SpinWait();
        long started = Environment.TickCount64;
        long nextCheck = started + 1;
        while (true)
        {
            long written = Written;
            if (written >= position) return written;
            long now = Environment.TickCount64;
            if (now >= nextCheck)
            {
                nextCheck = now + 1;
                if (senderGone?.Invoke() == true)
                {
                    written = Written;
                    if (written >= position) return written;
                    Interlocked.Increment(ref s_bodiesAbandoned);
                    throw new SharedBodyAbandonedException(
                        $"The sender died while copying a message into shared memory (written up to position {written:N0} of {position:N0}).");
                }
            }
            if (now - started < YieldingWaitMilliseconds) spinner.SpinOnce(sleep1Threshold: -1);
            else Thread.Sleep(1);
        }
    }

    /// <summary>The arrival of the frame <see cref="ReadFrame"/> returned last (one at a time per ring, reused).</summary>
    private sealed class Incoming(SharedRing ring) : BodyArrival
    {
        private long _start;
        private int _length;
        private Func<bool>? _senderGone;

        public void Begin(long start, int length, Func<bool>? senderGone)
        {
            _start = start;
            _length = length;
            _senderGone = senderGone;
        }

        public override int Arrived => (int)Math.Clamp(ring.Written - _start, 0, _length);

        public override int WaitFor(int count) =>
            (int)Math.Min(ring.WaitForWritten(_start + count, _senderGone) - _start, _length);
    }

    public void Dispose()
    {
        byte* mapped;
        // Under the gate: a sender thread may be in the middle of a CopyIn step.
        lock (_mappingGate)
        {
            mapped = _base;
            _base = null;
        }
        if (mapped is not null) LibC.Munmap((nint)mapped, (nuint)(HeaderSize + (long)_capacity));
    }
}
