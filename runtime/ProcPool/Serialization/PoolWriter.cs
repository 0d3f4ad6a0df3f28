using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ProcPool.Serialization;

/// <summary>
/// Appends values in ProcPool's wire format (little-endian, see docs/wire-format.md) to a growable buffer.
/// Generated codecs and the protocol write through it; one instance is reused for many frames, so
/// writing a value does not allocate once the buffer has grown to its working size.
/// </summary>
public sealed partial class PoolWriter
{
    private const int MinimumSize = 256;
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with the given initial capacity in bytes.</summary>
    public PoolWriter(int initialCapacity = 4096)
    {
        _buffer = PoolBuffers.Allocate(Math.Max(initialCapacity, MinimumSize));
    }

    /// <summary>Number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            if (_deferred is { Count: > 0 }) FillDeferred();
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>The bytes written so far, as memory over the writer's own buffer (valid until the next write or reset).</summary>
    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            if (_deferred is { Count: > 0 }) FillDeferred();
            return _buffer.AsMemory(0, _length);
        }
    }

    /// <summary>Forgets everything written, and any object left half-written by a failed encode; keeps the buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _deferred?.Clear();
        ForgetObjects();
    }

    /// <summary>
    /// Drops everything written after <paramref name="length"/> (used to roll back a frame that failed to encode), and
    /// forgets the objects that encode was in the middle of, so the next frame starts at depth 0.
    /// </summary>
    public void Truncate(int length)
    {
        if ((uint)length > (uint)_length) throw new ArgumentOutOfRangeException(nameof(length));
        _length = length;
        ForgetDeferredFrom(length);
        ForgetObjects();
    }

    /// <summary>Gives back a large buffer after a burst, so one 100 MB message does not pin 100 MB forever.</summary>
    public void Shrink(int keepCapacity = 1 << 20)
    {
        if (_buffer.Length <= keepCapacity || _length > keepCapacity) return;
        var smaller = ArrayPool<byte>.Shared.Rent(Math.Max(keepCapacity, MinimumSize));
        _buffer.AsSpan(0, _length).CopyTo(smaller);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = smaller;
    }

    /// <summary>Returns a span of at least <paramref name="size"/> bytes to write into; call <see cref="Advance"/> after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size) Grow(size);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last <see cref="GetSpan"/> as written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _length += count;

    /// <summary>Reserves <paramref name="size"/> bytes to be filled in later with <see cref="PatchInt32"/>; returns their offset.</summary>
    public int Reserve(int size)
    {
        GetSpan(size);
        int at = _length;
        _length += size;
        return at;
    }

    /// <summary>Overwrites four bytes at <paramref name="offset"/> (a length reserved earlier).</summary>
    public void PatchInt32(int offset, int value)
    {
        if ((uint)offset > (uint)(_length - sizeof(int))) throw new ArgumentOutOfRangeException(nameof(offset));
        Unsafe.WriteUnaligned(ref _buffer[offset], value);
    }

    private void Grow(int size)
    {
        long wanted = Math.Max((long)_length + size, (long)_buffer.Length * 2);
        if (wanted > Array.MaxLength)
        {
            wanted = (long)_length + size;
            if (wanted > Array.MaxLength)
                throw new PoolSerializationException($"A message would exceed {Array.MaxLength} bytes; split the data into smaller tasks.");
        }
        var bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Writes an unmanaged value as its raw little-endian bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(T value) where T : unmanaged => Unsafe.WriteUnaligned(ref Claim(Unsafe.SizeOf<T>()), value);

    // The primitive writers below claim their bytes here rather than call WriteUnmanaged<T>: ReadyToRun does not
    // precompile a generic method instantiated over framework types, so each WriteUnmanaged<int> would be
    // JIT-compiled in every worker before its first answer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Claim(int size)
    {
        if (_buffer.Length - _length < size) Grow(size);
        ref byte at = ref _buffer[_length];
        _length += size;
        return ref at;
    }

    /// <summary>Writes a <see cref="bool"/> as one byte (0 or 1).</summary>
    public void WriteBoolean(bool value) => Claim(1) = value ? (byte)1 : (byte)0;
    /// <summary>Writes a byte.</summary>
    public void WriteByte(byte value) => Claim(1) = value;
    /// <summary>Writes a signed byte.</summary>
    public void WriteSByte(sbyte value) => Claim(1) = (byte)value;
    /// <summary>Writes a 16-bit integer.</summary>
    public void WriteInt16(short value) => Unsafe.WriteUnaligned(ref Claim(sizeof(short)), value);
    /// <summary>Writes an unsigned 16-bit integer.</summary>
    public void WriteUInt16(ushort value) => Unsafe.WriteUnaligned(ref Claim(sizeof(ushort)), value);
    /// <summary>Writes a UTF-16 code unit.</summary>
    public void WriteChar(char value) => Unsafe.WriteUnaligned(ref Claim(sizeof(char)), value);
    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value) => Unsafe.WriteUnaligned(ref Claim(sizeof(int)), value);
    /// <summary>Writes an unsigned 32-bit integer.</summary>
    public void WriteUInt32(uint value) => Unsafe.WriteUnaligned(ref Claim(sizeof(uint)), value);
    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value) => Unsafe.WriteUnaligned(ref Claim(sizeof(long)), value);
    /// <summary>Writes an unsigned 64-bit integer.</summary>
    public void WriteUInt64(ulong value) => Unsafe.WriteUnaligned(ref Claim(sizeof(ulong)), value);
    /// <summary>Writes a native-sized integer as 64 bits, so both sides agree whatever their bitness.</summary>
    public void WriteIntPtr(nint value) => WriteInt64(value);
    /// <summary>Writes a native-sized unsigned integer as 64 bits.</summary>
    public void WriteUIntPtr(nuint value) => WriteUInt64(value);
    /// <summary>Writes a 32-bit float (NaN payloads and -0.0 are kept bit for bit).</summary>
    public void WriteSingle(float value) => Unsafe.WriteUnaligned(ref Claim(sizeof(float)), value);
    /// <summary>Writes a 64-bit float (NaN payloads and -0.0 are kept bit for bit).</summary>
    public void WriteDouble(double value) => Unsafe.WriteUnaligned(ref Claim(sizeof(double)), value);
    /// <summary>Writes a decimal as its four 32-bit parts in <see cref="decimal.GetBits(decimal)"/> order: low, middle, high, flags.</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> parts = stackalloc int[4];
        decimal.GetBits(value, parts);
        WriteRaw(MemoryMarshal.AsBytes(parts));
    }

    /// <summary>Writes a collection or string length header: the count, or -1 for null.</summary>
    public void WriteLength(int count) => WriteInt32(count);

    /// <summary>Writes the one-byte null marker of a reference value: 0 for null, 1 for a value.</summary>
    public void WriteNullMarker(bool hasValue) => Claim(1) = hasValue ? (byte)1 : (byte)0;

    /// <summary>
    /// Writes a string. The header is a zig-zag varint of a signed number: -1 for null, 0 for empty, <c>~byteCount</c>
    /// (≤ -2) for UTF-8 bytes, or a positive UTF-16 length for raw UTF-16 units; a string of up to 63 UTF-8 bytes
    /// takes a one-byte header. UTF-8 is the normal case; a string that is not valid UTF-16 (a lone surrogate, which
    /// .NET strings may hold and UTF-8 cannot express) goes as UTF-16, so every string arrives exactly as it was sent.
    /// </summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteVarInt32(-1);
            return;
        }
        if (value.Length == 0)
        {
            WriteVarInt32(0);
            return;
        }
        // The header's size depends on the byte count, known only after transcoding. Guess the size for one byte per
        // char (never too big: UTF-8 has at least a byte per char) and move the bytes along in the rare case it is short.
        int headerAt = _length;
        int guess = VarUInt32Size(ZigZag(~value.Length));
        GetSpan(MaxVarInt32Length + Encoding.UTF8.GetMaxByteCount(value.Length));
        var status = System.Text.Unicode.Utf8.FromUtf16(value, _buffer.AsSpan(headerAt + guess), out _, out int written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            uint header = ZigZag(~written);
            int headerSize = VarUInt32Size(header);
            if (headerSize != guess) _buffer.AsSpan(headerAt + guess, written).CopyTo(_buffer.AsSpan(headerAt + headerSize));
            PutVarUInt32(_buffer.AsSpan(headerAt), header);
            _length = headerAt + headerSize + written;
            return;
        }
        WriteUtf16String(value);
    }

    /// <summary>Writes a string as UTF-16 code units (the reader's <see cref="PoolReader.ReadString"/> reads either form).</summary>
    internal void WriteUtf16String(string value)
    {
        // A positive header counts UTF-16 units; 0, the empty string, reads the same in either form.
        WriteVarInt32(value.Length);
        WriteRaw(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static int VarUInt32Size(uint value) => (BitOperations.Log2(value | 1) / 7) + 1;

    private static void PutVarUInt32(Span<byte> destination, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i] = (byte)value;
    }

    /// <summary>Writes an array of an unmanaged type as its count (-1 for null) and one block copy of its elements.</summary>
    public void WriteUnmanagedArray<T>(T[]? values) where T : unmanaged
    {
        if (values is null)
        {
            WriteLength(-1);
            return;
        }
        if (DefersLargeArrays && TryDefer(values)) return;
        WriteUnmanagedSpan<T>(values);
    }

    /// <summary>Writes a span of an unmanaged type as its count and one block copy of its elements.</summary>
    public void WriteUnmanagedSpan<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        WriteLength(values.Length);
        var bytes = MemoryMarshal.AsBytes(values);
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Writes raw bytes with no header.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }
}
