namespace ProcPool.Sharing;

/// <summary>
/// The little protocol between a <see cref="SharedQueue{T}"/>'s owner and the processes that use it, over a Unix domain
/// socket (not the pool's frame protocol). One request at a time per connection: <c>byte op, int32 length, payload</c>;
/// the reply starts with a status byte. Documented in docs/shared-objects.md.
/// </summary>
internal static class QueueProtocol
{
    public const int HeaderSize = 5;

    /// <summary>The largest item, in encoded bytes; a longer length is refused before anything is allocated.</summary>
    public const int MaxItemSize = 64 << 20;

    // Requests.
    public const byte Put = 1;          // payload: int64 timeout in ms (-1 infinite), then the encoded item; reply: Ok, Full, or Cancelled
    public const byte Get = 2;          // payload: int64 timeout in ms (-1 infinite); reply: Item + int32 length + bytes, Empty, or Cancelled
    public const byte Cancel = 3;       // no payload, no reply of its own: the pending Put or Get answers Cancelled, if it is still pending
    public const byte Count = 4;        // no payload; reply: Ok + int32 count

    // Reply statuses.
    public const byte Ok = 0;
    public const byte Item = 1;
    public const byte Empty = 2;
    public const byte Cancelled = 3;
    public const byte Full = 4;

    /// <summary>The timeout that starts a put's or a get's payload.</summary>
    public const int TimeoutSize = sizeof(long);

    public static void WriteTimeout(Span<byte> destination, TimeSpan timeout) =>
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(destination,
            timeout == Timeout.InfiniteTimeSpan ? -1 : (long)Math.Ceiling(timeout.TotalMilliseconds));

    public static TimeSpan ReadTimeout(ReadOnlySpan<byte> source)
    {
        long milliseconds = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(source);
        // Past a timer's range (about 49 days) a wait is as good as endless.
        return milliseconds is < 0 or >= uint.MaxValue - 1 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);
    }

    public static void WriteHeader(Span<byte> destination, byte op, int length)
    {
        destination[0] = op;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(destination[1..], length);
    }

    public static int ReadLength(ReadOnlySpan<byte> bytes)
    {
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if ((uint)length > MaxItemSize)
            throw new PoolProtocolException($"A queue message claims {length} bytes; the limit is {MaxItemSize}.");
        return length;
    }
}
