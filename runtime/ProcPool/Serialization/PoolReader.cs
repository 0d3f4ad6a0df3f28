using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ProcPool.Serialization;

/// <summary>
/// Reads values in ProcPool's wire format from one frame. Every length is checked against the bytes left
/// before anything is allocated, and every failure is a <see cref="PoolSerializationException"/>, so a
/// corrupt or hostile frame can neither crash the reader nor make it allocate more than the frame holds.
/// </summary>
public ref partial struct PoolReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly BodyArrival? _arrival;
    private int _position;
    private int _depth;
    // How much of _data may be read now: all of it, except while a large message is still being copied into shared
    // memory by its sender; reads past it wait in a cold path, so the decoder works on the first bytes while the
    // sender copies the rest. Every read checks this bound, never _data.Length, to stay behind the sender.
    private int _arrived;

    /// <summary>Creates a reader over one message.</summary>
    public PoolReader(ReadOnlySpan<byte> data, int maxDepth = DefaultMaxDepth)
    {
        _data = data;
        _arrival = null;
        _arrived = data.Length;
        _position = 0;
        _depth = 0;
        MaxDepth = maxDepth;
    }

    /// <summary>A reader over a message that may still be arriving; <paramref name="arrival"/> says how much has.</summary>
    internal PoolReader(ReadOnlySpan<byte> data, int maxDepth, BodyArrival? arrival)
        : this(data, maxDepth)
    {
        if (arrival is null) return;
        _arrival = arrival;
        _arrived = Math.Min(arrival.Arrived, data.Length);
    }

    /// <summary>The nesting depth allowed for object graphs, unless a pool sets another.</summary>
    public const int DefaultMaxDepth = 256;

    /// <summary>The deepest object nesting this reader accepts.</summary>
    public int MaxDepth { get; }

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>The unread bytes (for a message still arriving, waits for all of them).</summary>
    public ReadOnlySpan<byte> RemainingSpan
    {
        get
        {
            if (_arrived < _data.Length) EnsureArrived("bytes", _data.Length - _position);
            return _data.Slice(_position);
        }
    }

    /// <summary>
    /// Enters one level of an object graph; throws when the graph is deeper than <see cref="MaxDepth"/>, or too deep
    /// for this thread's stack (checked every 32 levels, so a large <see cref="MaxDepth"/> cannot overflow the stack).
    /// </summary>
    public void EnterObject(string typeName)
    {
        if (++_depth > MaxDepth)
            throw new PoolSerializationException($"The data nests deeper than {MaxDepth} levels at a {typeName}; raise PoolOptions.MaxDepth or flatten the data.");
        if (_depth % 32 == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new PoolSerializationException($"The data nests too deep for this thread's stack at a {typeName} ({_depth} levels); lower PoolOptions.MaxDepth or flatten the data.");
    }

    /// <summary>Leaves one level entered with <see cref="EnterObject"/>.</summary>
    public void ExitObject() => _depth--;

    /// <summary>Reads an unmanaged value from its raw little-endian bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>() where T : unmanaged => Unsafe.ReadUnaligned<T>(ref Take(Unsafe.SizeOf<T>(), typeof(T).Name));

    // The primitive readers below take their bytes here rather than call ReadUnmanaged<T>: ReadyToRun does not
    // precompile a generic method instantiated over framework types, so each ReadUnmanaged<int> would be
    // JIT-compiled in every worker before its first answer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Take(int size, string what)
    {
        if (_arrived - _position < size) EnsureArrived(what, size);
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), _position);
        _position += size;
        return ref at;
    }

    /// <summary>Reads a <see cref="bool"/>; any byte other than 0 or 1 is an error.</summary>
    public bool ReadBoolean()
    {
        byte b = Take(1, nameof(Byte));
        if (b > 1) throw new PoolSerializationException($"Invalid bool byte {b} at offset {_position - 1}.");
        return b == 1;
    }

    /// <summary>Reads a byte.</summary>
    public byte ReadByte() => Take(1, nameof(Byte));
    /// <summary>Reads a signed byte.</summary>
    public sbyte ReadSByte() => (sbyte)Take(1, nameof(SByte));
    /// <summary>Reads a 16-bit integer.</summary>
    public short ReadInt16() => Unsafe.ReadUnaligned<short>(ref Take(sizeof(short), nameof(Int16)));
    /// <summary>Reads an unsigned 16-bit integer.</summary>
    public ushort ReadUInt16() => Unsafe.ReadUnaligned<ushort>(ref Take(sizeof(ushort), nameof(UInt16)));
    /// <summary>Reads a UTF-16 code unit.</summary>
    public char ReadChar() => Unsafe.ReadUnaligned<char>(ref Take(sizeof(char), nameof(Char)));
    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => Unsafe.ReadUnaligned<int>(ref Take(sizeof(int), nameof(Int32)));
    /// <summary>Reads an unsigned 32-bit integer.</summary>
    public uint ReadUInt32() => Unsafe.ReadUnaligned<uint>(ref Take(sizeof(uint), nameof(UInt32)));
    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => Unsafe.ReadUnaligned<long>(ref Take(sizeof(long), nameof(Int64)));
    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => Unsafe.ReadUnaligned<ulong>(ref Take(sizeof(ulong), nameof(UInt64)));
    /// <summary>Reads a native-sized integer written as 64 bits.</summary>
    public nint ReadIntPtr() => checked((nint)ReadInt64());
    /// <summary>Reads a native-sized unsigned integer written as 64 bits.</summary>
    public nuint ReadUIntPtr() => checked((nuint)ReadUInt64());
    /// <summary>Reads a 32-bit float.</summary>
    public float ReadSingle() => Unsafe.ReadUnaligned<float>(ref Take(sizeof(float), nameof(Single)));
    /// <summary>Reads a 64-bit float.</summary>
    public double ReadDouble() => Unsafe.ReadUnaligned<double>(ref Take(sizeof(double), nameof(Double)));

    /// <summary>Reads a decimal written as its <see cref="decimal.GetBits(decimal)"/> parts, rejecting flags no decimal can have.</summary>
    public decimal ReadDecimal()
    {
        int low = ReadInt32(), middle = ReadInt32(), high = ReadInt32(), flags = ReadInt32();
        byte scale = (byte)(flags >> 16);
        if ((flags & 0x7F00FFFF) != 0 || scale > 28)
            throw new PoolSerializationException($"Invalid decimal flags 0x{flags:x8} at offset {_position - 4}.");
        return new decimal(low, middle, high, flags < 0, scale);
    }

    /// <summary>Reads the one-byte null marker of a reference value: true when a value follows.</summary>
    public bool ReadNullMarker()
    {
        byte b = Take(1, nameof(Byte));
        if (b > 1) throw new PoolSerializationException($"Invalid null marker {b} at offset {_position - 1}.");
        return b == 1;
    }

    /// <summary>
    /// Reads a collection length header: -1 (null) or a count whose elements, at
    /// <paramref name="minElementSize"/> bytes each at least, fit in the bytes left.
    /// </summary>
    public int ReadLength(int minElementSize = 1)
    {
        int count = ReadInt32();
        if (count < -1) throw new PoolSerializationException($"Invalid length {count} at offset {_position - 4}.");
        if (count > 0 && (long)count * Math.Max(minElementSize, 0) > Remaining)
            throw new PoolSerializationException(
                $"A length of {count} elements at offset {_position - 4} needs more than the {Remaining} bytes left in the message.");
        return count;
    }

    // In a class of its own, so a reader that only meets UTF-16 strings (a worker before its first call) never creates
    // the encoding: a static field of the reader itself would be initialized on its first string read.
    private static class StrictUtf8
    {
        public static readonly UTF8Encoding Instance = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    }

    private static unsafe string ReadUtf16(ReadOnlySpan<byte> bytes, int length)
    {
        fixed (byte* first = bytes) return new string((char*)first, 0, length);
    }

    /// <summary>
    /// Reads a string written by <see cref="PoolWriter.WriteString"/> (a zig-zag varint header, then UTF-8 or UTF-16);
    /// invalid UTF-8 is an error, not a replacement character.
    /// </summary>
    public string? ReadString()
    {
        int header = ReadVarInt32();
        if (header == -1) return null;
        if (header == 0) return string.Empty;
        if (header > 0)
        {
            if ((long)header * 2 > Remaining)
                throw new PoolSerializationException($"A string of {header} UTF-16 units needs more than the {Remaining} bytes left in the message.");
            if (_arrived - _position < header * 2) EnsureArrived("string", header * 2);
            // Not MemoryMarshal.Cast<byte, char>: ReadyToRun has no code for that instantiation, and it would be
            // JIT-compiled in every worker, whose first strings (assembly names) arrive this way.
            string units = ReadUtf16(_data.Slice(_position, header * 2), header);
            _position += header * 2;
            return units;
        }
        int byteCount = ~header;
        if (byteCount > Remaining)
            throw new PoolSerializationException($"A string of {byteCount} UTF-8 bytes needs more than the {Remaining} bytes left in the message.");
        if (_arrived - _position < byteCount) EnsureArrived("string", byteCount);
        string result;
        try
        {
            result = StrictUtf8.Instance.GetString(_data.Slice(_position, byteCount));
        }
        catch (DecoderFallbackException e)
        {
            throw new PoolSerializationException($"A string at offset {_position} is not valid UTF-8.", e);
        }
        _position += byteCount;
        return result;
    }

    /// <summary>Reads an array written by <see cref="PoolWriter.WriteUnmanagedArray{T}"/>.</summary>
    public T[]? ReadUnmanagedArray<T>() where T : unmanaged
    {
        int count = ReadLength(Unsafe.SizeOf<T>());
        if (count < 0) return null;
        if (count == 0) return [];
        var result = GC.AllocateUninitializedArray<T>(count);
        Interop.HugePages.AdviseFresh(result);
        ReadUnmanagedInto<T>(result);
        return result;
    }

    /// <summary>Copies the next <c>destination.Length</c> elements into <paramref name="destination"/>.</summary>
    public void ReadUnmanagedInto<T>(Span<T> destination) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        if (bytes.Length > Remaining) ThrowTruncated(typeof(T).Name + "[]", bytes.Length);
        if (_arrived - _position < bytes.Length)
        {
            CopyAsItArrives(bytes);
            return;
        }
        _data.Slice(_position, bytes.Length).CopyTo(bytes);
        _position += bytes.Length;
    }

    // A large array still being copied in by its sender: copy what is there, then wait for the next piece, so the
    // two copies overlap instead of following each other.
    private void CopyAsItArrives(Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length)
        {
            if (_arrived == _position) EnsureArrived("array", 1);
            int piece = Math.Min(_arrived - _position, destination.Length - copied);
            _data.Slice(_position, piece).CopyTo(destination[copied..]);
            _position += piece;
            copied += piece;
        }
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadRaw(int count)
    {
        if (count < 0 || count > Remaining) ThrowTruncated("bytes", count);
        if (_arrived - _position < count) EnsureArrived("bytes", count);
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>Throws unless every byte of the message was consumed (trailing bytes mean the two sides disagree on the layout).</summary>
    public readonly void EnsureEnd(string what)
    {
        if (Remaining != 0)
            throw new PoolSerializationException($"{Remaining} unexpected bytes after the {what}; the two sides disagree on the data layout (are both built from the same code?).");
    }

    /// <summary>
    /// The cold path of every read that reaches past <see cref="_arrived"/>: a message that ends early is an error; a
    /// message still arriving is waited for.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureArrived(string what, int size)
    {
        if (_data.Length - _position < size) ThrowTruncated(what, size);
        _arrived = Math.Min(_arrival!.WaitFor(_position + size), _data.Length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(string what, int size) =>
        throw new PoolSerializationException($"The message ends early: a {what} needs {size} bytes at offset {_position}, only {Remaining} are left.");
}
