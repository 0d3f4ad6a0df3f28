using System.Runtime.CompilerServices;

namespace ProcPool.Serialization;

/// <summary>
/// Reads the varints written by <see cref="PoolWriter.WriteVarUInt32"/> and its siblings. A varint is bounded (5 bytes
/// for 32 bits, 10 for 64) and canonical (no redundant trailing zero groups); a longer one, one whose value does not
/// fit the type, or one cut off by the end of the message is a <see cref="PoolSerializationException"/>.
/// </summary>
public ref partial struct PoolReader
{
    /// <summary>Reads an unsigned 32-bit varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarUInt32()
    {
        if (_position < _arrived && _data[_position] < 0x80) return _data[_position++];
        return (uint)ReadVarSlow(PoolWriter.MaxVarInt32Length, uint.MaxValue, "UInt32");
    }

    /// <summary>Reads an unsigned 64-bit varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarUInt64()
    {
        if (_position < _arrived && _data[_position] < 0x80) return _data[_position++];
        return ReadVarSlow(PoolWriter.MaxVarInt64Length, ulong.MaxValue, "UInt64");
    }

    /// <summary>Reads a zig-zag encoded 32-bit varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadVarInt32()
    {
        uint raw = ReadVarUInt32();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Reads a zig-zag encoded 64-bit varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadVarInt64()
    {
        ulong raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads a zig-zag encoded 16-bit varint; a value outside <see cref="short"/>'s range is an error.</summary>
    public short ReadVarInt16()
    {
        int start = _position;
        int value = ReadVarInt32();
        if (value is < short.MinValue or > short.MaxValue)
            throw new PoolSerializationException($"The varint at offset {start} ({value}) does not fit an Int16.");
        return (short)value;
    }

    /// <summary>Reads an unsigned 16-bit varint; a value above <see cref="ushort.MaxValue"/> is an error.</summary>
    public ushort ReadVarUInt16()
    {
        int start = _position;
        uint value = ReadVarUInt32();
        if (value > ushort.MaxValue)
            throw new PoolSerializationException($"The varint at offset {start} ({value}) does not fit a UInt16.");
        return (ushort)value;
    }

    /// <summary>The general case: several bytes, each checked against the end of the message and the type's width.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadVarSlow(int maxBytes, ulong maxValue, string typeName)
    {
        int start = _position;
        ulong result = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            if (_position >= _arrived)
            {
                if (_position >= _data.Length)
                    throw new PoolSerializationException($"The message ends inside a varint at offset {start}.");
                EnsureArrived("varint", 1);
            }
            byte b = _data[_position++];
            int shift = 7 * i;
            ulong bits = (ulong)(b & 0x7F) << shift;
            // The last byte holds only the bits the type has left; anything above them would be lost.
            if ((bits >> shift) != (ulong)(b & 0x7F) || bits > maxValue)
                throw Overflow(start, typeName);
            result |= bits;
            if (b < 0x80)
            {
                if (b == 0 && i > 0)
                    throw new PoolSerializationException($"The varint at offset {start} is not in its shortest form.");
                return result;
            }
        }
        throw Overflow(start, typeName);
    }

    private static PoolSerializationException Overflow(int start, string typeName) =>
        new($"The varint at offset {start} is longer than a {typeName} allows.");
}
