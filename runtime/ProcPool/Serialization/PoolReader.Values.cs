using System.Numerics;
using System.Runtime.CompilerServices;

namespace ProcPool.Serialization;

/// <summary>
/// Reads the framework value types written by <see cref="PoolWriter"/>'s matching methods. Values no instance of the
/// type can have (ticks past <see cref="DateTime.MaxValue"/>, an offset beyond ±14 hours, a negative version part)
/// are refused with a <see cref="PoolSerializationException"/> rather than passed on or thrown as another exception.
/// </summary>
public ref partial struct PoolReader
{
    private const ulong DateTimeTicksMask = 0x3FFFFFFFFFFFFFFF;
    private const int MaxOffsetMinutes = 14 * 60;

    /// <summary>Reads a <see cref="Half"/>.</summary>
    public Half ReadHalf() => ReadUnmanaged<Half>();

    /// <summary>Reads an <see cref="Int128"/>.</summary>
    public Int128 ReadInt128() => ReadUnmanaged<Int128>();

    /// <summary>Reads a <see cref="UInt128"/>.</summary>
    public UInt128 ReadUInt128() => ReadUnmanaged<UInt128>();

    /// <summary>Reads a <see cref="BigInteger"/>.</summary>
    public BigInteger ReadBigInteger()
    {
        int count = ReadLength();
        if (count < 0) throw new PoolSerializationException($"A BigInteger cannot be null (length -1 at offset {_position - 4}).");
        return new BigInteger(ReadRaw(count));
    }

    /// <summary>Reads a <see cref="DateTime"/>, kind included.</summary>
    public DateTime ReadDateTime()
    {
        ulong data = ReadUInt64();
        if ((data & DateTimeTicksMask) > (ulong)DateTime.MaxValue.Ticks)
            throw new PoolSerializationException($"Invalid DateTime ticks at offset {_position - 8}.");
        return Unsafe.As<ulong, DateTime>(ref data);
    }

    /// <summary>Reads a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        long ticks = ReadInt64();
        short minutes = ReadInt16();
        long utcTicks = ticks - minutes * TimeSpan.TicksPerMinute;
        if (Math.Abs((int)minutes) > MaxOffsetMinutes || ticks < 0 || ticks > DateTime.MaxValue.Ticks || utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks)
            throw new PoolSerializationException($"Invalid DateTimeOffset at offset {_position - 10}.");
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>Reads a <see cref="TimeSpan"/>.</summary>
    public TimeSpan ReadTimeSpan() => new(ReadInt64());

    /// <summary>Reads a <see cref="DateOnly"/>.</summary>
    public DateOnly ReadDateOnly()
    {
        int day = ReadInt32();
        if ((uint)day > (uint)DateOnly.MaxValue.DayNumber)
            throw new PoolSerializationException($"Invalid DateOnly day number {day} at offset {_position - 4}.");
        return DateOnly.FromDayNumber(day);
    }

    /// <summary>Reads a <see cref="TimeOnly"/>.</summary>
    public TimeOnly ReadTimeOnly()
    {
        long ticks = ReadInt64();
        if ((ulong)ticks >= TimeSpan.TicksPerDay)
            throw new PoolSerializationException($"Invalid TimeOnly ticks {ticks} at offset {_position - 8}.");
        return new TimeOnly(ticks);
    }

    /// <summary>Reads a <see cref="Guid"/>.</summary>
    public Guid ReadGuid() => ReadUnmanaged<Guid>();

    /// <summary>Reads a <see cref="Uri"/> (null if null was written).</summary>
    public Uri? ReadUri()
    {
        string? text = ReadString();
        if (text is null) return null;
        var kind = ReadBoolean() ? UriKind.Absolute : UriKind.Relative;
        if (!Uri.TryCreate(text, kind, out var uri))
            throw new PoolSerializationException($"Invalid {kind.ToString().ToLowerInvariant()} URI before offset {_position}.");
        return uri;
    }

    /// <summary>Reads a <see cref="Version"/> (null if null was written).</summary>
    public Version? ReadVersion()
    {
        if (!ReadNullMarker()) return null;
        int major = ReadInt32(), minor = ReadInt32(), build = ReadInt32(), revision = ReadInt32();
        if (major < 0 || minor < 0 || build < -1 || revision < -1 || (build == -1 && revision != -1))
            throw new PoolSerializationException($"Invalid Version {major}.{minor}.{build}.{revision} before offset {_position}.");
        return build == -1 ? new Version(major, minor)
            : revision == -1 ? new Version(major, minor, build)
            : new Version(major, minor, build, revision);
    }
}
