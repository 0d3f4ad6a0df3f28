using System.ComponentModel;

namespace ProcPool.Serialization.Codecs;

/// <summary>A <see cref="HashSet{T}"/>: int32 count (-1 for null), then each element. The comparer does not travel: the set arrives with the default one.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct HashSetCodec<T, TCodec> : IPoolCodec<HashSet<T>?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, HashSet<T>? value) => CollectionWriting.Write<T, TCodec>(writer, value);

    /// <inheritdoc />
    public static HashSet<T>? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(TCodec.MinimumSize);
        if (count < 0) return null;
        var result = new HashSet<T>(count);
        for (int i = 0; i < count; i++) result.Add(TCodec.Read(ref reader));
        return result;
    }
}

/// <summary>A <see cref="Queue{T}"/>: int32 count (-1 for null), then each element from the front.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct QueueCodec<T, TCodec> : IPoolCodec<Queue<T>?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, Queue<T>? value) => CollectionWriting.Write<T, TCodec>(writer, value);

    /// <inheritdoc />
    public static Queue<T>? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(TCodec.MinimumSize);
        if (count < 0) return null;
        var result = new Queue<T>(count);
        for (int i = 0; i < count; i++) result.Enqueue(TCodec.Read(ref reader));
        return result;
    }
}

/// <summary>A <see cref="Stack{T}"/>: int32 count (-1 for null), then each element from the top; it arrives in the same order.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct StackCodec<T, TCodec> : IPoolCodec<Stack<T>?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, Stack<T>? value) => CollectionWriting.Write<T, TCodec>(writer, value);

    /// <inheritdoc />
    public static Stack<T>? Read(ref PoolReader reader)
    {
        var fromTop = ArrayCodec<T, TCodec>.Read(ref reader);
        if (fromTop is null) return null;
        var result = new Stack<T>(fromTop.Length);
        for (int i = fromTop.Length - 1; i >= 0; i--) result.Push(fromTop[i]);
        return result;
    }
}

/// <summary>What collection codecs without a span share: each element in enumeration order, and the count patched in after the last one.</summary>
internal static class CollectionWriting
{
    public static void Write<T, TCodec>(PoolWriter writer, IEnumerable<T>? items) where TCodec : IPoolCodec<T>
    {
        if (items is null)
        {
            writer.WriteLength(-1);
            return;
        }
        // Counting while enumerating: a lazy sequence is enumerated once, and the count cannot disagree with the elements.
        int countAt = writer.Reserve(sizeof(int));
        int index = 0;
        foreach (var item in items)
        {
            writer.SetIndex(index++);
            TCodec.Write(writer, item);
        }
        writer.PatchInt32(countAt, index);
    }
}
