using System.ComponentModel;
using ProcPool.Serialization;
using ProcPool.Serialization.Codecs;
using ProcPool.Sharing;

namespace ProcPool.Runtime;

/// <summary>
/// Which codec encodes the items of a <see cref="SharedQueue{T}"/>, per item type. The generator registers T's codec
/// from a module initializer for every <c>SharedQueue&lt;T&gt;</c> in a task's signature, so the parent, which creates
/// the queue, encodes items exactly as the workers decode them, without reflection. Strings and the common primitives
/// are registered here, so a queue of them works even before any task mentions it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SharedQueueCodecs
{
    static SharedQueueCodecs()
    {
        Register<string?, StringCodec>();
        Register<int, VarInt32Codec>();
        Register<long, VarInt64Codec>();
        Register<double, UnmanagedCodec<double>>();
        Register<bool, BooleanCodec>();
        Register<byte[]?, UnmanagedArrayCodec<byte>>();
    }

    /// <summary>Registers <typeparamref name="TCodec"/> for items of <typeparamref name="T"/>; the first registration wins (all encode alike).</summary>
    public static void Register<T, TCodec>() where TCodec : IPoolCodec<T> =>
        Interlocked.CompareExchange(ref Slot<T>.Codec, QueueItemCodec<T, TCodec>.Instance, null);

    internal static QueueItemCodec<T> Find<T>() =>
        Slot<T>.Codec ?? throw new InvalidOperationException(
            $"No codec is registered for SharedQueue<{TypeNames.Display(typeof(T))}>: the generator registers one for each SharedQueue<T> that a [PoolTask] " +
            "method takes, when the assembly that declares that task is loaded. Declare a task that takes this queue type (in an assembly this process has loaded).");

    private static class Slot<T>
    {
        public static QueueItemCodec<T>? Codec;
    }
}
