using ProcPool.Serialization;

namespace ProcPool.Sharing;

/// <summary>Encodes and decodes the items of a <see cref="SharedQueue{T}"/> as one message each.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal abstract class QueueItemCodec<T>
{
    public abstract byte[] Encode(T item);

    public abstract T Decode(ReadOnlySpan<byte> bytes);
}

/// <summary>The item codec over a generated or runtime <see cref="IPoolCodec{T}"/>: static calls, no reflection.</summary>
internal sealed class QueueItemCodec<T, TCodec> : QueueItemCodec<T> where TCodec : IPoolCodec<T>
{
    public static readonly QueueItemCodec<T, TCodec> Instance = new();

    public override byte[] Encode(T item)
    {
        var writer = new PoolWriter(256);
        TCodec.Write(writer, item);
        return writer.WrittenSpan.ToArray();
    }

    public override T Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new PoolReader(bytes);
        T item = TCodec.Read(ref reader);
        reader.EnsureEnd("queue item");
        return item;
    }
}
