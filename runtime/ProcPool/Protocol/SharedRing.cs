using System.Buffers.Binary;
using ProcPool.Interop;
using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// One direction of the shared-memory side channel for large frames (Linux): a ring in a memfd both processes map.
/// The sender copies a large frame's body into the ring and sends a small <see cref="FrameKind.SharedBody"/> frame
/// through the pipe instead; the receiver reads the body in place and releases it by advancing a counter in the
/// ring's header. Pipe order is the ring's order, so one counter is enough. Never waits: a body that does not fit
/// (ring full, or larger than the ring) goes through the pipe as usual.
/// </summary>
/// <remarks>
/// Why: a pipe moves a payload through the kernel twice (write, read) at about 1.4 GB/s on the development VM, and
/// the frame reader and writer around it add copies of their own. Through the ring an 8 MiB argument costs one copy
/// in and the decoder's read out.
/// </remarks>
internal sealed unsafe class SharedRing : IDisposable
{
    /// <summary>Frames below this go through the pipe: for them a pipe write is cheaper than the extra frame.</summary>
    public const int MinimumBodySize = 64 * 1024;

    // The header holds the receiver's release position (int64) on a cache line of its own.
    private const int HeaderSize = 64;

    private readonly int _capacity;
    private byte* _base;
    private long _produced;
    private long _released;

    private static long s_framesMoved;
    private static long s_framesRead;

    /// <summary>Frames this process has sent through rings (for tests and the benchmark: proof the path is taken).</summary>
    internal static long FramesMoved => Interlocked.Read(ref s_framesMoved);

    /// <summary>Frames this process has received through rings.</summary>
    internal static long FramesRead => Interlocked.Read(ref s_framesRead);

    private SharedRing(byte* mapped, int capacity)
    {
        _base = mapped;
        _capacity = capacity;
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

    /// <summary>
    /// If the frame that starts at <paramref name="frameStart"/> ends <paramref name="writer"/> and is large, moves its
    /// body into the ring and leaves a <see cref="FrameKind.SharedBody"/> frame in its place. Sender side only.
    /// </summary>
    public bool TryMoveFrame(PoolWriter writer, int frameStart)
    {
        var written = writer.WrittenSpan;
        if (written.Length - frameStart < ProtocolConstants.LengthPrefixSize + MinimumBodySize) return false;
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(written[frameStart..]);
        if (frameStart + ProtocolConstants.LengthPrefixSize + bodyLength != written.Length) return false;
        if (!TryWrite(written.Slice(frameStart + ProtocolConstants.LengthPrefixSize, bodyLength), out long end)) return false;
        writer.Truncate(frameStart);
        int start = FrameWriter.Begin(writer, FrameKind.SharedBody);
        writer.WriteInt64(end);
        writer.WriteInt32(bodyLength);
        FrameWriter.End(writer, start, int.MaxValue);
        Interlocked.Increment(ref s_framesMoved);
        return true;
    }

    private bool TryWrite(ReadOnlySpan<byte> body, out long end)
    {
        end = 0;
        if (_base is null || body.Length > _capacity) return false;
        long released = Volatile.Read(ref *(long*)_base);
        long start = _produced;
        if (released == start)
        {
            // Empty: start again at the beginning, so a run of large calls keeps touching the same pages.
            start = RoundUpToCapacity(start);
        }
        else
        {
            long offset = start % _capacity;
            if (offset + body.Length > _capacity) start += _capacity - offset;
            if (start + body.Length - released > _capacity) return false;
        }
        body.CopyTo(new Span<byte>(_base + HeaderSize + start % _capacity, body.Length));
        end = _produced = start + body.Length;
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
        Interlocked.Increment(ref s_framesRead);
        return new ReadOnlySpan<byte>(_base + HeaderSize + offset, length);
    }

    /// <summary>
    /// <see cref="Read"/>, then the body's version and kind, as <see cref="FrameReader"/> does for a frame on the pipe.
    /// Which kinds may come this way is the caller's to check.
    /// </summary>
    public Frame ReadFrame(ReadOnlySpan<byte> sharedBodyPayload, int maxFrameSize, out long end)
    {
        var body = Read(sharedBodyPayload, maxFrameSize, out end);
        if (body[0] != ProtocolConstants.Version)
            throw new PoolProtocolException($"Received a shared-memory frame of protocol version {body[0]}, expected {ProtocolConstants.Version}.");
        return new Frame((FrameKind)body[1], body[ProtocolConstants.BodyHeaderSize..]);
    }

    /// <summary>Gives the space up to <paramref name="end"/> back to the sender.</summary>
    public void Release(long end)
    {
        if (_base is null || end <= _released) return;
        _released = end;
        Volatile.Write(ref *(long*)_base, end);
    }

    public void Dispose()
    {
        var mapped = _base;
        _base = null;
        if (mapped is not null) LibC.Munmap((nint)mapped, (nuint)(HeaderSize + (long)_capacity));
    }
}
