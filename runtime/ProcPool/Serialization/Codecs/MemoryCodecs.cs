using System.ComponentModel;

namespace ProcPool.Serialization.Codecs;

/// <summary>A <see cref="Memory{T}"/> of an unmanaged type: count, then one block copy; it arrives over a new array.</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct MemoryCodec<T> : IPoolCodec<Memory<T>> where T : unmanaged
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, Memory<T> value) => writer.WriteUnmanagedSpan<T>(value.Span);

    /// <inheritdoc />
    public static Memory<T> Read(ref PoolReader reader) => reader.ReadUnmanagedArray<T>();
}

/// <summary>A <see cref="ReadOnlyMemory{T}"/> of an unmanaged type: count, then one block copy; it arrives over a new array.</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ReadOnlyMemoryCodec<T> : IPoolCodec<ReadOnlyMemory<T>> where T : unmanaged
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ReadOnlyMemory<T> value) => writer.WriteUnmanagedSpan(value.Span);

    /// <inheritdoc />
    public static ReadOnlyMemory<T> Read(ref PoolReader reader) => reader.ReadUnmanagedArray<T>();
}
