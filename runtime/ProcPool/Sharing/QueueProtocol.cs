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
    public const byte Put = 1;          // payload: the encoded item; reply: Ok
    public const byte Get = 2;          // payload: int64 timeout in ms (-1 infinite); reply: Item + int32 length + bytes, Empty, or Cancelled
    public const byte CancelGet = 3;    // no payload, no reply of its own: the pending Get answers Cancelled, if it is still pending
    public const byte Count = 4;        // no payload; reply: Ok + int32 count

    // Reply statuses.
    public const byte Ok = 0;
    public const byte Item = 1;
    public const byte Empty = 2;
    public const byte Cancelled = 3;

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
