using ProcPool.Serialization;
using ProcPool.TestTasks;
using Descriptors = ProcPool.Generated.ProcPool_Tests;

namespace ProcPool.Tests;

/// <summary>
/// The varints that carry integers, enums and string headers: their sizes, their bounds (at most 5 or 10 bytes, no
/// bits past the type's width, one form per value), and what they save on a record like the benchmark's.
/// </summary>
public class VarIntTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(63, 1)]
    [InlineData(-64, 1)]
    [InlineData(64, 2)]
    [InlineData(8191, 2)]
    [InlineData(8192, 3)]
    [InlineData(int.MaxValue, 5)]
    [InlineData(int.MinValue, 5)]
    public void Int32_round_trips_zig_zagged_in_the_expected_number_of_bytes(int value, int size)
    {
        var writer = new PoolWriter();
        writer.WriteVarInt32(value);

        Assert.Equal(size, writer.Length);
        var reader = new PoolReader(writer.WrittenSpan);
        Assert.Equal(value, reader.ReadVarInt32());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Every_width_round_trips_its_extremes()
    {
        var writer = new PoolWriter();
        writer.WriteVarInt16(short.MinValue);
        writer.WriteVarInt16(short.MaxValue);
        writer.WriteVarUInt16(ushort.MaxValue);
        writer.WriteVarUInt32(uint.MaxValue);
        writer.WriteVarInt64(long.MinValue);
        writer.WriteVarInt64(long.MaxValue);
        writer.WriteVarUInt64(ulong.MaxValue);
        writer.WriteVarUInt64(0);

        var reader = new PoolReader(writer.WrittenSpan);
        Assert.Equal(short.MinValue, reader.ReadVarInt16());
        Assert.Equal(short.MaxValue, reader.ReadVarInt16());
        Assert.Equal(ushort.MaxValue, reader.ReadVarUInt16());
        Assert.Equal(uint.MaxValue, reader.ReadVarUInt32());
        Assert.Equal(long.MinValue, reader.ReadVarInt64());
        Assert.Equal(long.MaxValue, reader.ReadVarInt64());
        Assert.Equal(ulong.MaxValue, reader.ReadVarUInt64());
        Assert.Equal(0UL, reader.ReadVarUInt64());
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(3 + 3 + 3 + 5 + 10 + 10 + 10 + 1, writer.Length);
    }

    [Theory]
    [InlineData("FFFFFFFF1F", "longer than a UInt32")]      // the fifth byte holds bits past 32
    [InlineData("FFFFFFFFFF01", "longer than a UInt32")]    // six bytes
    [InlineData("8000", "not in its shortest form")]
    [InlineData("FF", "ends inside a varint")]
    [InlineData("", "ends inside a varint")]
    public void A_bad_32_bit_varint_is_a_serialization_error(string hex, string message)
    {
        var error = Assert.Throws<PoolSerializationException>(() =>
        {
            var reader = new PoolReader(Convert.FromHexString(hex));
            reader.ReadVarUInt32();
        });
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_64_bit_varint_is_bounded_at_ten_bytes_and_64_bits()
    {
        Assert.Throws<PoolSerializationException>(() => new PoolReader(Convert.FromHexString("FFFFFFFFFFFFFFFFFF02")).ReadVarUInt64());
        Assert.Throws<PoolSerializationException>(() => new PoolReader(Convert.FromHexString("8080808080808080808000")).ReadVarUInt64());
        Assert.Equal(ulong.MaxValue, new PoolReader(Convert.FromHexString("FFFFFFFFFFFFFFFFFF01")).ReadVarUInt64());
    }

    [Fact]
    public void A_16_bit_value_out_of_range_is_refused()
    {
        var writer = new PoolWriter();
        writer.WriteVarInt32(short.MaxValue + 1);
        writer.WriteVarUInt32(ushort.MaxValue + 1u);

        Assert.Throws<PoolSerializationException>(() => new PoolReader(writer.WrittenSpan).ReadVarInt16());
        Assert.Throws<PoolSerializationException>(() => new PoolReader(writer.WrittenSpan[3..]).ReadVarUInt16());
    }

    [Theory]
    [InlineData(63, 1)]
    [InlineData(64, 2)]
    [InlineData(8191, 2)]
    [InlineData(8192, 3)]
    public void A_string_header_grows_with_its_UTF8_byte_count(int asciiLength, int headerSize)
    {
        var writer = new PoolWriter();
        string text = new('a', asciiLength);
        writer.WriteString(text);

        Assert.Equal(headerSize + asciiLength, writer.Length);
        Assert.Equal(text, new PoolReader(writer.WrittenSpan).ReadString());
    }

    [Theory]
    [InlineData("é", 40)]    // 40 chars guess a 1-byte header; 80 UTF-8 bytes need 2
    [InlineData("東", 2000)] // 2000 chars guess 2 bytes; 6000 bytes still fit 2
    [InlineData("東", 3000)] // 3000 chars guess 2 bytes; 9000 bytes need 3
    public void A_string_whose_header_outgrows_the_guess_still_round_trips(string unit, int repeat)
    {
        string text = string.Concat(Enumerable.Repeat(unit, repeat));
        var writer = new PoolWriter();
        writer.WriteInt32(0x5A5A5A5A); // something before it, which the move must not touch
        writer.WriteString(text);
        writer.WriteByte(7);

        var reader = new PoolReader(writer.WrittenSpan);
        Assert.Equal(0x5A5A5A5A, reader.ReadInt32());
        Assert.Equal(text, reader.ReadString());
        Assert.Equal(7, reader.ReadByte());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Null_empty_and_UTF16_strings_keep_their_one_byte_headers()
    {
        var writer = new PoolWriter();
        writer.WriteString(null);
        writer.WriteString("");
        writer.WriteString("\uD800");

        Assert.Equal([0x01, 0x00, 0x02, 0x00, 0xD8], writer.WrittenSpan.ToArray());
        var reader = new PoolReader(writer.WrittenSpan);
        Assert.Null(reader.ReadString());
        Assert.Equal("", reader.ReadString());
        Assert.Equal("\uD800", reader.ReadString());
    }

    [Fact]
    public void Arrays_of_integers_stay_one_block_of_fixed_size_values()
    {
        var jagged = Descriptors.ProcPool_Tests_CodecTasks_EchoJagged_PoolTask.Instance;

        byte[] bytes = CodecHarness.Encode(jagged, [[1, 2, 3]]);

        // Outer count, inner count, then the three ints as 12 raw bytes.
        Assert.Equal(4 + 4 + 12, bytes.Length);
        Assert.Equal(2, BitConverter.ToInt32(bytes, 12));
    }

    [Fact]
    public void A_wide_enum_travels_as_a_varint_of_its_value()
    {
        var task = Descriptors.ProcPool_Tests_CodecTasks_EchoPermissionCounts_PoolTask.Instance;
        var counts = new Dictionary<Permissions, long> { [Permissions.Read] = 5, [(Permissions)(-3)] = -1 };

        byte[] bytes = CodecHarness.Encode(task, counts);

        Assert.Equal(4 + 2 + 2, bytes.Length); // the int32 count, then key and value one byte each
        Assert.Equal(counts, CodecHarness.Decode(task, bytes));
    }
}
