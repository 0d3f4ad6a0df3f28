using System.Runtime.CompilerServices;

namespace ProcPool.Serialization;

/// <summary>
/// Variable-length integers (LEB128: seven bits a byte, low bits first, the top bit set on every byte but the last;
/// signed values zig-zag encoded first, so small negative numbers stay small). Generated codecs write every integer
/// that stands alone this way (a parameter, a result, a member, a dictionary key…); integers inside a block copy
/// (arrays and lists of unmanaged values, unmanaged structs) keep their fixed size. See docs/wire-format.md.
/// </summary>
public sealed partial class PoolWriter
{
    /// <summary>The most bytes a 32-bit varint takes.</summary>
    public const int MaxVarInt32Length = 5;

    /// <summary>The most bytes a 64-bit varint takes.</summary>
    public const int MaxVarInt64Length = 10;

    /// <summary>Writes an unsigned 32-bit integer as a varint (1 byte below 128, at most 5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarUInt32(uint value)
    {
        if (value < 0x80 && _length < _buffer.Length)
        {
            _buffer[_length++] = (byte)value;
            return;
        }
        WriteVarUInt64Slow(value);
    }

    /// <summary>Writes an unsigned 64-bit integer as a varint (1 byte below 128, at most 10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarUInt64(ulong value)
    {
        if (value < 0x80 && _length < _buffer.Length)
        {
            _buffer[_length++] = (byte)value;
            return;
        }
        WriteVarUInt64Slow(value);
    }

    /// <summary>Writes a 32-bit integer zig-zag encoded (0, -1, 1, -2… become 0, 1, 2, 3…), then as a varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarInt32(int value) => WriteVarUInt32((uint)((value << 1) ^ (value >> 31)));

    /// <summary>Writes a 64-bit integer zig-zag encoded, then as a varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes a 16-bit integer as a zig-zag varint (at most 3 bytes).</summary>
    public void WriteVarInt16(short value) => WriteVarInt32(value);

    /// <summary>Writes an unsigned 16-bit integer as a varint (at most 3 bytes).</summary>
    public void WriteVarUInt16(ushort value) => WriteVarUInt32(value);

    private void WriteVarUInt64Slow(ulong value)
    {
        var span = GetSpan(MaxVarInt64Length);
        int count = 0;
        while (value >= 0x80)
        {
            span[count++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[count++] = (byte)value;
        _length += count;
    }
}
