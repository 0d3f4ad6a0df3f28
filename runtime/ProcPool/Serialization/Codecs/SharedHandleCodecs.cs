using System.ComponentModel;

namespace ProcPool.Serialization.Codecs;

/// <summary>A <see cref="SharedLock"/>: its lock file's path (a string, null for null). The receiver opens the same lock.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SharedLockCodec : IPoolCodec<SharedLock?>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, SharedLock? value) => writer.WriteString(value?.Path);

    /// <inheritdoc />
    public static SharedLock? Read(ref PoolReader reader) =>
        reader.ReadString() is { } path ? SharedLock.Open(path) : null;
}

/// <summary>
/// A <see cref="SharedQueue{T}"/>: the path of its owner's socket (a string, null for null). The receiver connects to the
/// same queue and encodes and decodes items with <typeparamref name="TCodec"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <typeparam name="TCodec">The item codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SharedQueueCodec<T, TCodec> : IPoolCodec<SharedQueue<T>?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, SharedQueue<T>? value) => writer.WriteString(value?.Path);

    /// <inheritdoc />
    public static SharedQueue<T>? Read(ref PoolReader reader) =>
        reader.ReadString() is { } path ? SharedQueue<T>.Connect(path, Sharing.QueueItemCodec<T, TCodec>.Instance) : null;
}
