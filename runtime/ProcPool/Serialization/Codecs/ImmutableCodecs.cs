using System.Collections.Immutable;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace ProcPool.Serialization.Codecs;

/// <summary>An <see cref="ImmutableArray{T}"/>: like <c>T[]</c>; a default (uninitialized) array travels as null and arrives default.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ImmutableArrayCodec<T, TCodec> : IPoolCodec<ImmutableArray<T>> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ImmutableArray<T> value) =>
        ArrayCodec<T, TCodec>.Write(writer, ImmutableCollectionsMarshal.AsArray(value));

    /// <inheritdoc />
    public static ImmutableArray<T> Read(ref PoolReader reader) =>
        ImmutableCollectionsMarshal.AsImmutableArray(ArrayCodec<T, TCodec>.Read(ref reader));
}

/// <summary>An <see cref="ImmutableArray{T}"/> of an unmanaged type: count, then one block copy.</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UnmanagedImmutableArrayCodec<T> : IPoolCodec<ImmutableArray<T>> where T : unmanaged
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ImmutableArray<T> value) =>
        writer.WriteUnmanagedArray(ImmutableCollectionsMarshal.AsArray(value));

    /// <inheritdoc />
    public static ImmutableArray<T> Read(ref PoolReader reader) =>
        ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadUnmanagedArray<T>());
}

/// <summary>An <see cref="ImmutableList{T}"/>: int32 count (-1 for null), then each element.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ImmutableListCodec<T, TCodec> : IPoolCodec<ImmutableList<T>?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ImmutableList<T>? value) => CollectionWriting.Write<T, TCodec>(writer, value);

    /// <inheritdoc />
    public static ImmutableList<T>? Read(ref PoolReader reader)
    {
        var items = ArrayCodec<T, TCodec>.Read(ref reader);
        return items is null ? null : ImmutableList.Create(items);
    }
}

/// <summary>An <see cref="ImmutableDictionary{TKey, TValue}"/>: int32 count (-1 for null), then key, value pairs; default comparers on arrival.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <typeparam name="TKeyCodec">The key codec.</typeparam>
/// <typeparam name="TValueCodec">The value codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ImmutableDictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec> : IPoolCodec<ImmutableDictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCodec : IPoolCodec<TKey>
    where TValueCodec : IPoolCodec<TValue>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ImmutableDictionary<TKey, TValue>? value) =>
        PairWriting.Write<TKey, TValue, TKeyCodec, TValueCodec>(writer, value);

    /// <inheritdoc />
    public static ImmutableDictionary<TKey, TValue>? Read(ref PoolReader reader)
    {
        var pairs = DictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec>.Read(ref reader);
        return pairs?.ToImmutableDictionary();
    }
}
