using System.ComponentModel;
using System.Runtime.InteropServices;

namespace ProcPool.Serialization.Codecs;

/// <summary>A <see cref="List{T}"/>: int32 count (-1 for null), then each element.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ListCodec<T, TCodec> : IPoolCodec<List<T>?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, List<T>? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }
        var items = CollectionsMarshal.AsSpan(value);
        writer.WriteLength(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            writer.SetIndex(i);
            TCodec.Write(writer, items[i]);
        }
    }

    /// <inheritdoc />
    public static List<T>? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(TCodec.MinimumSize);
        if (count < 0) return null;
        var result = new List<T>(count);
        for (int i = 0; i < count; i++) result.Add(TCodec.Read(ref reader));
        return result;
    }
}

/// <summary>A <see cref="List{T}"/> of an unmanaged type: int32 count (-1 for null), then one block copy.</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UnmanagedListCodec<T> : IPoolCodec<List<T>?> where T : unmanaged
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, List<T>? value)
    {
        if (value is null) writer.WriteLength(-1);
        else writer.WriteUnmanagedSpan<T>(CollectionsMarshal.AsSpan(value));
    }

    /// <inheritdoc />
    public static List<T>? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(UnmanagedCodec<T>.MinimumSize);
        if (count < 0) return null;
        var result = new List<T>(count);
        CollectionsMarshal.SetCount(result, count);
        reader.ReadUnmanagedInto(CollectionsMarshal.AsSpan(result));
        return result;
    }
}
