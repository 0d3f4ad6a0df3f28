using System.ComponentModel;

namespace ProcPool.Serialization.Codecs;

/// <summary>
/// A parameter declared as <c>object</c>, <c>dynamic</c>, or an interface or abstract class without
/// <see cref="PoolUnionAttribute"/> (the analyzer warns about these, PP0006): what travels is only known at the call,
/// so the value carries a one-byte tag. Only a closed set of runtime types can cross this way (see
/// <see cref="DynamicValue"/>); anything else fails the call with a <see cref="PoolSerializationException"/>.
/// </summary>
/// <typeparam name="T">The declared type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DynamicCodec<T> : IPoolCodec<T?> where T : class
{
    /// <inheritdoc />
    public static int MinimumSize => 1;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, T? value) => DynamicValue.Write(writer, value, typeof(T));

    /// <inheritdoc />
    public static T? Read(ref PoolReader reader)
    {
        object? value = DynamicValue.Read(ref reader);
        if (value is null or T) return (T?)value;
        throw new PoolSerializationException($"A {TypeNames.Display(value.GetType())} arrived for a value declared as {TypeNames.Display(typeof(T))}.");
    }
}

/// <summary>
/// The tagged values <see cref="DynamicCodec{T}"/> carries: null, the primitives, <see cref="string"/>,
/// <see cref="decimal"/>, the date and time types, <see cref="Guid"/>, and one-dimensional arrays of the primitives
/// and of strings. No type name ever travels; the tag picks one of these and nothing else.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DynamicValue
{
    private enum Tag : byte
    {
        Null = 0,
        Boolean, Char, SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Single, Double, Decimal,
        String, DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly, Guid, Half, Int128, UInt128,

        // Arrays: the element's tag plus ArrayBase.
        ArrayBase = 0x40,
        BooleanArray = ArrayBase + Boolean, CharArray, SByteArray, ByteArray, Int16Array, UInt16Array, Int32Array,
        UInt32Array, Int64Array, UInt64Array, SingleArray, DoubleArray, DecimalArray, StringArray,
    }

    /// <summary>Writes a tag and the value; throws for a runtime type outside the closed set.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The value.</param>
    /// <param name="declared">The declared type, for the error message.</param>
    public static void Write(PoolWriter writer, object? value, Type declared)
    {
        switch (value)
        {
            case null: Put(writer, Tag.Null); break;
            case bool v: Put(writer, Tag.Boolean); writer.WriteBoolean(v); break;
            case char v: Put(writer, Tag.Char); writer.WriteChar(v); break;
            case sbyte v: Put(writer, Tag.SByte); writer.WriteSByte(v); break;
            case byte v: Put(writer, Tag.Byte); writer.WriteByte(v); break;
            case short v: Put(writer, Tag.Int16); writer.WriteVarInt16(v); break;
            case ushort v: Put(writer, Tag.UInt16); writer.WriteVarUInt16(v); break;
            case int v: Put(writer, Tag.Int32); writer.WriteVarInt32(v); break;
            case uint v: Put(writer, Tag.UInt32); writer.WriteVarUInt32(v); break;
            case long v: Put(writer, Tag.Int64); writer.WriteVarInt64(v); break;
            case ulong v: Put(writer, Tag.UInt64); writer.WriteVarUInt64(v); break;
            case float v: Put(writer, Tag.Single); writer.WriteSingle(v); break;
            case double v: Put(writer, Tag.Double); writer.WriteDouble(v); break;
            case decimal v: Put(writer, Tag.Decimal); writer.WriteDecimal(v); break;
            case string v: Put(writer, Tag.String); writer.WriteString(v); break;
            case DateTime v: Put(writer, Tag.DateTime); writer.WriteDateTime(v); break;
            case DateTimeOffset v: Put(writer, Tag.DateTimeOffset); writer.WriteDateTimeOffset(v); break;
            case TimeSpan v: Put(writer, Tag.TimeSpan); writer.WriteTimeSpan(v); break;
            case DateOnly v: Put(writer, Tag.DateOnly); writer.WriteDateOnly(v); break;
            case TimeOnly v: Put(writer, Tag.TimeOnly); writer.WriteTimeOnly(v); break;
            case Guid v: Put(writer, Tag.Guid); writer.WriteGuid(v); break;
            case Half v: Put(writer, Tag.Half); writer.WriteHalf(v); break;
            case Int128 v: Put(writer, Tag.Int128); writer.WriteInt128(v); break;
            case UInt128 v: Put(writer, Tag.UInt128); writer.WriteUInt128(v); break;
            case bool[] v: Put(writer, Tag.BooleanArray); writer.WriteUnmanagedArray(v); break;
            case char[] v: Put(writer, Tag.CharArray); writer.WriteUnmanagedArray(v); break;
            case sbyte[] v: Put(writer, Tag.SByteArray); writer.WriteUnmanagedArray(v); break;
            case byte[] v: Put(writer, Tag.ByteArray); writer.WriteUnmanagedArray(v); break;
            case short[] v: Put(writer, Tag.Int16Array); writer.WriteUnmanagedArray(v); break;
            case ushort[] v: Put(writer, Tag.UInt16Array); writer.WriteUnmanagedArray(v); break;
            case int[] v: Put(writer, Tag.Int32Array); writer.WriteUnmanagedArray(v); break;
            case uint[] v: Put(writer, Tag.UInt32Array); writer.WriteUnmanagedArray(v); break;
            case long[] v: Put(writer, Tag.Int64Array); writer.WriteUnmanagedArray(v); break;
            case ulong[] v: Put(writer, Tag.UInt64Array); writer.WriteUnmanagedArray(v); break;
            case float[] v: Put(writer, Tag.SingleArray); writer.WriteUnmanagedArray(v); break;
            case double[] v: Put(writer, Tag.DoubleArray); writer.WriteUnmanagedArray(v); break;
            case decimal[] v: Put(writer, Tag.DecimalArray); writer.WriteUnmanagedArray(v); break;
            case string[] v when v.GetType() == typeof(string[]):
                Put(writer, Tag.StringArray);
                ArrayCodec<string?, StringCodec>.Write(writer, v);
                break;
            default:
                throw writer.Failure(
                    $"A {TypeNames.Display(value.GetType())} cannot cross as a value declared {TypeNames.Display(declared)}: such a parameter carries only " +
                    "primitives, strings, decimals, dates, times, Guids and one-dimensional arrays of these. " +
                    "Declare the parameter with the value's own type, or mark the abstract type or interface [PoolUnion(...)] with its cases.");
        }
    }

    /// <summary>Reads a tagged value written by <see cref="Write"/>.</summary>
    public static object? Read(ref PoolReader reader)
    {
        byte tag = reader.ReadByte();
        return (Tag)tag switch
        {
            Tag.Null => null,
            Tag.Boolean => reader.ReadBoolean(),
            Tag.Char => reader.ReadChar(),
            Tag.SByte => reader.ReadSByte(),
            Tag.Byte => reader.ReadByte(),
            Tag.Int16 => reader.ReadVarInt16(),
            Tag.UInt16 => reader.ReadVarUInt16(),
            Tag.Int32 => reader.ReadVarInt32(),
            Tag.UInt32 => reader.ReadVarUInt32(),
            Tag.Int64 => reader.ReadVarInt64(),
            Tag.UInt64 => reader.ReadVarUInt64(),
            Tag.Single => reader.ReadSingle(),
            Tag.Double => reader.ReadDouble(),
            Tag.Decimal => reader.ReadDecimal(),
            Tag.String => reader.ReadString(),
            Tag.DateTime => reader.ReadDateTime(),
            Tag.DateTimeOffset => reader.ReadDateTimeOffset(),
            Tag.TimeSpan => reader.ReadTimeSpan(),
            Tag.DateOnly => reader.ReadDateOnly(),
            Tag.TimeOnly => reader.ReadTimeOnly(),
            Tag.Guid => reader.ReadGuid(),
            Tag.Half => reader.ReadHalf(),
            Tag.Int128 => reader.ReadInt128(),
            Tag.UInt128 => reader.ReadUInt128(),
            Tag.BooleanArray => reader.ReadUnmanagedArray<bool>(),
            Tag.CharArray => reader.ReadUnmanagedArray<char>(),
            Tag.SByteArray => reader.ReadUnmanagedArray<sbyte>(),
            Tag.ByteArray => reader.ReadUnmanagedArray<byte>(),
            Tag.Int16Array => reader.ReadUnmanagedArray<short>(),
            Tag.UInt16Array => reader.ReadUnmanagedArray<ushort>(),
            Tag.Int32Array => reader.ReadUnmanagedArray<int>(),
            Tag.UInt32Array => reader.ReadUnmanagedArray<uint>(),
            Tag.Int64Array => reader.ReadUnmanagedArray<long>(),
            Tag.UInt64Array => reader.ReadUnmanagedArray<ulong>(),
            Tag.SingleArray => reader.ReadUnmanagedArray<float>(),
            Tag.DoubleArray => reader.ReadUnmanagedArray<double>(),
            Tag.DecimalArray => reader.ReadUnmanagedArray<decimal>(),
            Tag.StringArray => ArrayCodec<string?, StringCodec>.Read(ref reader),
            _ => throw new PoolSerializationException($"Invalid value tag {tag} at offset {reader.Position - 1}."),
        };
    }

    private static void Put(PoolWriter writer, Tag tag) => writer.WriteByte((byte)tag);
}
