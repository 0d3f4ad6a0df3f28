using System.Numerics;

namespace ProcPool.Serialization;

/// <summary>The framework value types the codec knows besides the primitives: dates and times, big numbers, ids, URIs and versions.</summary>
public sealed partial class PoolWriter
{
    /// <summary>Writes a <see cref="Half"/> as its 2 bytes.</summary>
    public void WriteHalf(Half value) => WriteUnmanaged(value);

    /// <summary>Writes an <see cref="Int128"/> as 16 bytes, low half first.</summary>
    public void WriteInt128(Int128 value) => WriteUnmanaged(value);

    /// <summary>Writes a <see cref="UInt128"/> as 16 bytes, low half first.</summary>
    public void WriteUInt128(UInt128 value) => WriteUnmanaged(value);

    /// <summary>Writes a <see cref="BigInteger"/>: int32 byte count, then its two's complement bytes, least significant first.</summary>
    public void WriteBigInteger(BigInteger value)
    {
        int count = value.GetByteCount();
        WriteLength(count);
        value.TryWriteBytes(GetSpan(count), out int written);
        Advance(written);
    }

    /// <summary>Writes a <see cref="DateTime"/> as its 64 bits: the ticks and, in the top two bits, the kind (so <see cref="DateTimeKind"/> is kept).</summary>
    public void WriteDateTime(DateTime value) => WriteUnmanaged(value);

    /// <summary>Writes a <see cref="DateTimeOffset"/>: int64 ticks of its clock time, int16 offset in minutes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteInt64(value.Ticks);
        WriteInt16((short)(value.Offset.Ticks / TimeSpan.TicksPerMinute));
    }

    /// <summary>Writes a <see cref="TimeSpan"/> as int64 ticks.</summary>
    public void WriteTimeSpan(TimeSpan value) => WriteInt64(value.Ticks);

    /// <summary>Writes a <see cref="DateOnly"/> as its int32 day number.</summary>
    public void WriteDateOnly(DateOnly value) => WriteInt32(value.DayNumber);

    /// <summary>Writes a <see cref="TimeOnly"/> as int64 ticks since midnight.</summary>
    public void WriteTimeOnly(TimeOnly value) => WriteInt64(value.Ticks);

    /// <summary>Writes a <see cref="Guid"/> as its 16 bytes.</summary>
    public void WriteGuid(Guid value) => WriteUnmanaged(value);

    /// <summary>Writes a <see cref="Uri"/>: its original string (null for null), then a byte, 1 if it is absolute.</summary>
    public void WriteUri(Uri? value)
    {
        WriteString(value?.OriginalString);
        if (value is not null) WriteBoolean(value.IsAbsoluteUri);
    }

    /// <summary>Writes a <see cref="Version"/>: the null marker, then major, minor, build and revision as int32 (-1 where undefined).</summary>
    public void WriteVersion(Version? value)
    {
        WriteNullMarker(value is not null);
        if (value is null) return;
        WriteInt32(value.Major);
        WriteInt32(value.Minor);
        WriteInt32(value.Build);
        WriteInt32(value.Revision);
    }
}
