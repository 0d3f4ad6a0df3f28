using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ProcPool.Serialization.Codecs;

/// <summary>Any unmanaged value (integers, floats, chars, enums, <see cref="Guid"/>, unmanaged structs) as its raw bytes.</summary>
/// <typeparam name="T">The unmanaged type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UnmanagedCodec<T> : IPoolCodec<T> where T : unmanaged
{
    /// <inheritdoc />
    public static int MinimumSize => Unsafe.SizeOf<T>();

    /// <inheritdoc />
    public static void Write(PoolWriter writer, T value) => writer.WriteUnmanaged(value);

    /// <inheritdoc />
    public static T Read(ref PoolReader reader) => reader.ReadUnmanaged<T>();
}

/// <summary>A <see cref="bool"/>: one byte, 0 or 1.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BooleanCodec : IPoolCodec<bool>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, bool value) => writer.WriteBoolean(value);

    /// <inheritdoc />
    public static bool Read(ref PoolReader reader) => reader.ReadBoolean();
}

/// <summary>A <see cref="decimal"/>: its 16 bytes, checked on read.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DecimalCodec : IPoolCodec<decimal>
{
    /// <inheritdoc />
    public static int MinimumSize => 16;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, decimal value) => writer.WriteDecimal(value);

    /// <inheritdoc />
    public static decimal Read(ref PoolReader reader) => reader.ReadDecimal();
}

/// <summary>A <see cref="DateTime"/>: ticks and kind in 64 bits, checked on read.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DateTimeCodec : IPoolCodec<DateTime>
{
    /// <inheritdoc />
    public static int MinimumSize => 8;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, DateTime value) => writer.WriteDateTime(value);

    /// <inheritdoc />
    public static DateTime Read(ref PoolReader reader) => reader.ReadDateTime();
}

/// <summary>A <see cref="DateTimeOffset"/>: clock ticks and offset minutes, checked on read.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DateTimeOffsetCodec : IPoolCodec<DateTimeOffset>
{
    /// <inheritdoc />
    public static int MinimumSize => 10;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, DateTimeOffset value) => writer.WriteDateTimeOffset(value);

    /// <inheritdoc />
    public static DateTimeOffset Read(ref PoolReader reader) => reader.ReadDateTimeOffset();
}

/// <summary>A <see cref="TimeSpan"/>: int64 ticks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TimeSpanCodec : IPoolCodec<TimeSpan>
{
    /// <inheritdoc />
    public static int MinimumSize => 8;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, TimeSpan value) => writer.WriteTimeSpan(value);

    /// <inheritdoc />
    public static TimeSpan Read(ref PoolReader reader) => reader.ReadTimeSpan();
}

/// <summary>A <see cref="DateOnly"/>: int32 day number, checked on read.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DateOnlyCodec : IPoolCodec<DateOnly>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, DateOnly value) => writer.WriteDateOnly(value);

    /// <inheritdoc />
    public static DateOnly Read(ref PoolReader reader) => reader.ReadDateOnly();
}

/// <summary>A <see cref="TimeOnly"/>: int64 ticks since midnight, checked on read.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TimeOnlyCodec : IPoolCodec<TimeOnly>
{
    /// <inheritdoc />
    public static int MinimumSize => 8;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, TimeOnly value) => writer.WriteTimeOnly(value);

    /// <inheritdoc />
    public static TimeOnly Read(ref PoolReader reader) => reader.ReadTimeOnly();
}

/// <summary>A <see cref="BigInteger"/>: byte count, then two's complement bytes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BigIntegerCodec : IPoolCodec<BigInteger>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, BigInteger value) => writer.WriteBigInteger(value);

    /// <inheritdoc />
    public static BigInteger Read(ref PoolReader reader) => reader.ReadBigInteger();
}

/// <summary>A <see cref="string"/>: UTF-8 with a varint header (see <see cref="PoolWriter.WriteString"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct StringCodec : IPoolCodec<string?>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, string? value) => writer.WriteString(value);

    /// <inheritdoc />
    public static string? Read(ref PoolReader reader) => reader.ReadString();
}

/// <summary>A <see cref="Uri"/>: its original string and whether it is absolute.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UriCodec : IPoolCodec<Uri?>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, Uri? value) => writer.WriteUri(value);

    /// <inheritdoc />
    public static Uri? Read(ref PoolReader reader) => reader.ReadUri();
}

/// <summary>A <see cref="Version"/>: null marker and four int32 parts.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct VersionCodec : IPoolCodec<Version?>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, Version? value) => writer.WriteVersion(value);

    /// <inheritdoc />
    public static Version? Read(ref PoolReader reader) => reader.ReadVersion();
}

/// <summary><see cref="Nullable{T}"/>: a byte (0 for null, 1 for a value), then the value.</summary>
/// <typeparam name="T">The underlying value type.</typeparam>
/// <typeparam name="TCodec">Its codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NullableCodec<T, TCodec> : IPoolCodec<T?>
    where T : struct
    where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, T? value)
    {
        writer.WriteNullMarker(value.HasValue);
        if (value.HasValue) TCodec.Write(writer, value.GetValueOrDefault());
    }

    /// <inheritdoc />
    public static T? Read(ref PoolReader reader) => reader.ReadNullMarker() ? TCodec.Read(ref reader) : null;
}
