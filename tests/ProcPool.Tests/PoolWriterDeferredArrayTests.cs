using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// A writer that defers large arrays (a worker's result buffer) references them instead of copying them in; every way
/// of reading its bytes still sees exactly what a plain writer writes, and a rolled-back write forgets its arrays.
/// </summary>
public sealed class PoolWriterDeferredArrayTests
{
    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static void WriteSample(PoolWriter writer, byte[] large, double[] doubles, int[] small)
    {
        writer.WriteInt32(7);
        writer.WriteUnmanagedArray(large);
        writer.WriteUnmanagedArray(small);
        writer.WriteUnmanagedArray(doubles);
        writer.WriteInt32(9);
    }

    [Fact]
    public void Large_arrays_are_referenced_and_the_written_bytes_are_still_exact()
    {
        var large = RandomBytes(100_000);
        var doubles = Enumerable.Range(0, 20_000).Select(i => i * 0.25).ToArray();
        int[] small = [1, 2, 3];
        var plain = new PoolWriter();
        WriteSample(plain, large, doubles, small);
        var deferring = new PoolWriter { DefersLargeArrays = true };

        WriteSample(deferring, large, doubles, small);

        Assert.Equal(2, deferring.Deferred.Length); // the byte[] and the double[]; the int[3] is copied
        Assert.Equal(plain.Length, deferring.Length);
        Assert.Equal(plain.WrittenSpan.ToArray(), deferring.WrittenSpan.ToArray());
        Assert.Equal(0, deferring.Deferred.Length); // reading the bytes filled them in
    }

    [Fact]
    public void A_rolled_back_write_forgets_the_arrays_it_deferred()
    {
        var deferring = new PoolWriter { DefersLargeArrays = true };
        deferring.WriteInt32(1);
        int mark = deferring.Length;
        deferring.WriteUnmanagedArray(RandomBytes(80_000));
        Assert.Equal(1, deferring.Deferred.Length);

        deferring.Truncate(mark);
        deferring.WriteInt32(2);

        Assert.Equal(0, deferring.Deferred.Length);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 2, 0, 0, 0 }, deferring.WrittenSpan.ToArray());
        deferring.WriteUnmanagedArray(RandomBytes(80_000));
        deferring.Reset();
        Assert.Equal(0, deferring.Deferred.Length);
    }

    [Fact]
    public void A_truncation_inside_a_deferred_array_keeps_the_part_before_it()
    {
        var array = RandomBytes(80_000);
        var deferring = new PoolWriter { DefersLargeArrays = true };
        deferring.WriteUnmanagedArray(array);
        deferring.Truncate(4 + 1000); // the count and the array's first 1000 bytes stay

        deferring.WriteInt32(-5);

        var expected = new PoolWriter();
        expected.WriteInt32(array.Length);
        expected.WriteRaw(array.AsSpan(0, 1000));
        expected.WriteInt32(-5);
        Assert.Equal(expected.WrittenSpan.ToArray(), deferring.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_ring_copy_takes_deferred_arrays_from_where_they_are()
    {
        using var rings = RingPair.Create(1 << 20);
        if (rings is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var (sender, receiver) = (rings.Sender, rings.Receiver);
        var large = RandomBytes(300_000);
        var doubles = Enumerable.Range(0, 30_000).Select(i => i * 1.5).ToArray();
        var plain = new PoolWriter();
        int plainStart = FrameWriter.Begin(plain, FrameKind.Result);
        WriteSample(plain, large, doubles, [4, 5]);
        FrameWriter.End(plain, plainStart, int.MaxValue);
        var expectedBody = plain.WrittenSpan[ProtocolConstants.LengthPrefixSize..].ToArray();
        var deferring = new PoolWriter { DefersLargeArrays = true };
        int start = FrameWriter.Begin(deferring, FrameKind.Result);
        WriteSample(deferring, large, doubles, [4, 5]);
        FrameWriter.End(deferring, start, int.MaxValue);

        Assert.True(sender.TryReserveFrame(deferring, start, out var reservation));
        sender.CopyIn(deferring, reservation);

        Assert.Equal(2, deferring.Deferred.Length); // copied past, never into the writer's buffer
        var standIn = deferring.UnfilledSpan[(reservation.StandInStart + ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize)..];
        Assert.Equal(expectedBody, receiver.Read(standIn, int.MaxValue, out _).ToArray());
    }
}
