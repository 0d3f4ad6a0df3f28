using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace ProcPool.Serialization.Codecs;

/// <summary>A <see cref="short"/> as a zig-zag varint (1 to 3 bytes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VarInt16Codec : IPoolCodec<short>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, short value) => writer.WriteVarInt16(value);

    /// <inheritdoc />
    public static short Read(ref PoolReader reader) => reader.ReadVarInt16();
}

/// <summary>A <see cref="ushort"/> as a varint (1 to 3 bytes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VarUInt16Codec : IPoolCodec<ushort>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ushort value) => writer.WriteVarUInt16(value);

    /// <inheritdoc />
    public static ushort Read(ref PoolReader reader) => reader.ReadVarUInt16();
}

/// <summary>An <see cref="int"/> as a zig-zag varint (1 to 5 bytes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VarInt32Codec : IPoolCodec<int>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, int value) => writer.WriteVarInt32(value);

    /// <inheritdoc />
    public static int Read(ref PoolReader reader) => reader.ReadVarInt32();
}

/// <summary>A <see cref="uint"/> as a varint (1 to 5 bytes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VarUInt32Codec : IPoolCodec<uint>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, uint value) => writer.WriteVarUInt32(value);

    /// <inheritdoc />
    public static uint Read(ref PoolReader reader) => reader.ReadVarUInt32();
}

/// <summary>A <see cref="long"/> as a zig-zag varint (1 to 10 bytes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VarInt64Codec : IPoolCodec<long>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, long value) => writer.WriteVarInt64(value);

    /// <inheritdoc />
    public static long Read(ref PoolReader reader) => reader.ReadVarInt64();
}

/// <summary>A <see cref="ulong"/> as a varint (1 to 10 bytes).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VarUInt64Codec : IPoolCodec<ulong>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, ulong value) => writer.WriteVarUInt64(value);

    /// <inheritdoc />
    public static ulong Read(ref PoolReader reader) => reader.ReadVarUInt64();
}

/// <summary>
/// An enum as its underlying value, written by that value's codec (a varint for 16-, 32- and 64-bit enums). Values
/// outside the declared ones travel too, as they do in C#.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
/// <typeparam name="TValue">Its underlying type.</typeparam>
/// <typeparam name="TValueCodec">The codec of the underlying type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct EnumCodec<TEnum, TValue, TValueCodec> : IPoolCodec<TEnum>
    where TEnum : unmanaged, Enum
    where TValue : unmanaged
    where TValueCodec : IPoolCodec<TValue>
{
    /// <inheritdoc />
    public static int MinimumSize => TValueCodec.MinimumSize;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, TEnum value) => TValueCodec.Write(writer, Unsafe.BitCast<TEnum, TValue>(value));

    /// <inheritdoc />
    public static TEnum Read(ref PoolReader reader) => Unsafe.BitCast<TValue, TEnum>(TValueCodec.Read(ref reader));
}
