using System.Buffers;
using System.Buffers.Binary;
using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// Splits a byte stream into frames. Reads in large blocks, so a burst of small frames costs one system call;
/// checks each length against the maximum before growing its buffer, so a corrupt length cannot make it
/// allocate more than <c>maxFrameSize</c>.
/// </summary>
internal sealed class FrameReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxFrameSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public FrameReader(Stream stream, int maxFrameSize)
    {
        _stream = stream;
        _maxFrameSize = maxFrameSize;
        _buffer = PoolBuffers.Allocate(InitialBufferSize);
    }

    /// <summary>The size of the receive buffer (for tests of the allocation bound).</summary>
    internal int BufferCapacity => _buffer.Length;

    /// <summary>Bytes received but not yet returned as frames.</summary>
    public int Buffered => _end - _start;

    /// <summary>
    /// Returns the next frame if it is completely buffered. Throws <see cref="PoolProtocolException"/> for a frame
    /// that is too short, too long, or of another protocol version.
    /// </summary>
    public bool TryReadBuffered(out Frame frame)
    {
        frame = default;
        int available = _end - _start;
        if (available < ProtocolConstants.LengthPrefixSize) return false;
        int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
        Validate(length);
        if (available - ProtocolConstants.LengthPrefixSize < length)
        {
            EnsureRoomFor(ProtocolConstants.LengthPrefixSize + length);
            return false;
        }
        var body = _buffer.AsSpan(_start + ProtocolConstants.LengthPrefixSize, length);
        if (body[0] != ProtocolConstants.Version)
            throw new PoolProtocolException($"Received a frame of protocol version {body[0]}, expected {ProtocolConstants.Version}; the parent and worker run different ProcPool builds.");
        _start += ProtocolConstants.LengthPrefixSize + length;
        frame = new Frame((FrameKind)body[1], body.Slice(ProtocolConstants.BodyHeaderSize));
        return true;
    }

    /// <summary>
    /// Blocks until more bytes arrive. Returns false at a clean end of stream (between frames); throws
    /// <see cref="PoolProtocolException"/> if the stream ends inside a frame.
    /// </summary>
    public bool Fill()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > InitialBufferSize * 16) Resize(InitialBufferSize);
        }
        else if (_end == _buffer.Length)
        {
            Compact();
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            if (_start != _end)
                throw new PoolProtocolException($"The stream ended inside a frame ({_end - _start} bytes of it received).");
            return false;
        }
        _end += read;
        return true;
    }

    private void Validate(int length)
    {
        if (length < ProtocolConstants.BodyHeaderSize)
            throw new PoolProtocolException($"Received a frame length of {length}; a frame has at least {ProtocolConstants.BodyHeaderSize} bytes.");
        if (length > _maxFrameSize)
            throw new PoolProtocolException($"Received a frame length of {length:N0} bytes, over the maximum frame size of {_maxFrameSize:N0}.");
    }

    private void EnsureRoomFor(int frameSize)
    {
        if (_buffer.Length - _start >= frameSize) return;
        if (_buffer.Length >= frameSize)
        {
            Compact();
            return;
        }
        Resize(frameSize);
    }

    private void Compact()
    {
        if (_start == 0) return;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
    }

    private void Resize(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, _end - _start));
        Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _end -= _start;
        _start = 0;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
