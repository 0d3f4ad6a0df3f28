using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcPool.Serialization.Codecs;

/// <summary>A <c>T[]</c> of an unmanaged type: int32 count (-1 for null), then one block copy.</summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UnmanagedArrayCodec<T> : IPoolCodec<T[]?> where T : unmanaged
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, T[]? value) => writer.WriteUnmanagedArray(value);

    /// <inheritdoc />
    public static T[]? Read(ref PoolReader reader) => reader.ReadUnmanagedArray<T>();
}

/// <summary>A <c>T[]</c> of any other element type (a jagged array is an array of arrays): int32 count (-1 for null), then each element.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ArrayCodec<T, TCodec> : IPoolCodec<T[]?> where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, T[]? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }
        writer.WriteLength(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            writer.SetIndex(i);
            TCodec.Write(writer, value[i]);
        }
    }

    /// <inheritdoc />
    public static T[]? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(TCodec.MinimumSize);
        if (count < 0) return null;
        var result = new T[count];
        for (int i = 0; i < result.Length; i++) result[i] = TCodec.Read(ref reader);
        return result;
    }
}

/// <summary>
/// The element part of multi-dimensional arrays (<c>T[,]</c>, <c>T[,,]</c>…), whose generated codecs write the
/// lengths and allocate the array. Elements go in row-major order; unmanaged ones as one block copy.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MultiDimensionalArrays
{
    /// <summary>Reads a length after the first (which may be -1 for null): never negative.</summary>
    public static int ReadDimension(ref PoolReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0) throw new PoolSerializationException($"Invalid array dimension {length} at offset {reader.Position - 4}.");
        return length;
    }

    /// <summary>Throws unless <paramref name="lengths"/>' elements, at <paramref name="minElementSize"/> bytes each, fit in the bytes left.</summary>
    public static void EnsureFits(ref PoolReader reader, int minElementSize, params ReadOnlySpan<int> lengths)
    {
        // A zero length makes the product 0, but the runtime still refuses any one length past Array.MaxLength.
        foreach (int length in lengths)
            if (length > Array.MaxLength)
                throw new PoolSerializationException($"An array dimension of {length} elements exceeds the largest array .NET allows.");
        long total = 1;
        foreach (int length in lengths)
        {
            total *= length;
            if (total == 0) return;
            if (total * Math.Max(minElementSize, 1) > reader.Remaining)
                throw new PoolSerializationException(
                    $"An array of {string.Join(" x ", lengths.ToArray())} elements needs more than the {reader.Remaining} bytes left in the message.");
        }
    }

    /// <summary>Writes every element of <paramref name="array"/>, row-major.</summary>
    public static void WriteElements<T, TCodec>(PoolWriter writer, Array array) where TCodec : IPoolCodec<T>
    {
        ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array));
        int count = array.Length;
        for (int i = 0; i < count; i++)
        {
            writer.SetIndex(i);
            TCodec.Write(writer, Unsafe.Add(ref first, i));
        }
    }

    /// <summary>Fills every element of <paramref name="array"/>, row-major.</summary>
    public static void ReadElements<T, TCodec>(ref PoolReader reader, Array array) where TCodec : IPoolCodec<T>
    {
        ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array));
        int count = array.Length;
        for (int i = 0; i < count; i++) Unsafe.Add(ref first, i) = TCodec.Read(ref reader);
    }

    /// <summary>Writes the elements of an array of an unmanaged type as one block.</summary>
    public static void WriteUnmanagedElements<T>(PoolWriter writer, Array array) where T : unmanaged =>
        writer.WriteRaw(MemoryMarshal.AsBytes(Elements<T>(array)));

    /// <summary>Fills an array of an unmanaged type from one block.</summary>
    public static void ReadUnmanagedElements<T>(ref PoolReader reader, Array array) where T : unmanaged =>
        reader.ReadUnmanagedInto(Elements<T>(array));

    private static Span<T> Elements<T>(Array array) where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);
}
