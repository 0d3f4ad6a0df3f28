using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>The shared ring alone, both ends in this process over one memfd: placement, wrap-around, full, bad frames.</summary>
public sealed class SharedRingTests : IDisposable
{
    private const int Capacity = 1 << 20;
    private readonly RingPair? _rings = RingPair.Create(Capacity);

    private SharedRing? _sender => _rings?.Sender;

    private SharedRing? _receiver => _rings?.Receiver;

    public void Dispose() => _rings?.Dispose();

    private static PoolWriter FrameOf(int payloadLength, byte seed)
    {
        var writer = new PoolWriter(1024);
        int start = FrameWriter.Begin(writer, FrameKind.Result);
        for (int i = 0; i < payloadLength; i++) writer.WriteByte((byte)(seed + i * 7));
        FrameWriter.End(writer, start, int.MaxValue);
        return writer;
    }

    /// <summary>The body of the frame in <paramref name="writer"/> (after its length prefix).</summary>
    private static byte[] BodyOf(PoolWriter writer) => writer.WrittenSpan[ProtocolConstants.LengthPrefixSize..].ToArray();

    /// <summary>The stand-in frame's payload (ring end position, body length), as the pipe would carry it.</summary>
    private static byte[] SharedPayloadOf(PoolWriter writer, SharedRing.Reservation reservation)
    {
        var span = writer.WrittenSpan[reservation.StandInStart..];
        Assert.Equal((byte)FrameKind.SharedBody, span[ProtocolConstants.LengthPrefixSize + 1]);
        return span[(ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize)..].ToArray();
    }

    /// <summary>What a sender does: reserve, then copy the body in; returns the stand-in frame's payload, or null.</summary>
    private static byte[]? Move(SharedRing sender, PoolWriter writer)
    {
        if (!sender.TryReserveFrame(writer, 0, out var reservation)) return null;
        sender.CopyIn(writer.WrittenSpan.Slice(reservation.BodyStart, reservation.BodyLength), reservation.RingStart);
        return SharedPayloadOf(writer, reservation);
    }

    [Fact]
    public void Bodies_arrive_intact_across_wrap_around_and_released_space_is_reused()
    {
        if (_sender is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        // 400 KiB bodies in a 1 MiB ring, two in flight at a time: the third wraps to the start once the first is released.
        var pending = new Queue<(byte[] Expected, byte[] Shared)>();
        for (int i = 0; i < 12; i++)
        {
            var writer = FrameOf(400 * 1024, (byte)i);
            var expected = BodyOf(writer);
            var moved = Move(_sender, writer);
            Assert.True(moved is not null, $"frame {i} did not fit");
            pending.Enqueue((expected, moved!));
            if (pending.Count == 2)
            {
                var (body, shared) = pending.Dequeue();
                Assert.Equal(body, _receiver!.Read(shared, int.MaxValue, out long end).ToArray());
                _receiver.Release(end);
            }
        }
    }

    [Fact]
    public void A_body_that_does_not_fit_stays_in_the_writer()
    {
        if (_sender is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        Assert.NotNull(Move(_sender, FrameOf(600 * 1024, 1)));
        var second = FrameOf(600 * 1024, 2);
        var before = second.WrittenSpan.ToArray();

        Assert.Null(Move(_sender, second));
        Assert.Equal(before, second.WrittenSpan.ToArray());
        Assert.Null(Move(_sender, FrameOf(Capacity + 1, 3)));
        Assert.Null(Move(_sender, FrameOf(1000, 4))); // small frames stay in the pipe
    }

    [Fact]
    public void An_empty_ring_starts_again_at_its_beginning_and_a_body_may_fill_it_exactly()
    {
        if (_sender is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        for (int i = 0; i < 3; i++)
        {
            var writer = FrameOf(100 * 1024, (byte)i);
            var expected = BodyOf(writer);
            var shared = Move(_sender, writer);
            Assert.NotNull(shared);
            long end = BitConverter.ToInt64(shared);
            Assert.Equal(expected.Length, end % Capacity); // at offset 0 every time, not after the previous body
            Assert.Equal(expected, _receiver!.Read(shared, int.MaxValue, out long released).ToArray());
            _receiver.Release(released);
        }

        var whole = FrameOf(Capacity - ProtocolConstants.BodyHeaderSize, 9);
        var wholeBody = BodyOf(whole);
        Assert.Equal(Capacity, wholeBody.Length);
        var wholeShared = Move(_sender, whole);
        Assert.NotNull(wholeShared);
        Assert.Equal(wholeBody, _receiver!.Read(wholeShared, int.MaxValue, out _).ToArray());
    }

    [Fact]
    public void Positions_that_wrap_around_are_refused_before_any_read()
    {
        if (_receiver is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        // end - length would wrap to a huge start for the first, a negative offset for the second (once the first had
        // moved the release position back to long.MinValue): both must be protocol errors, never a read outside the ring.
        foreach (long end in new[] { long.MinValue, 1024 - 64 })
        {
            var payload = new byte[12];
            BitConverter.TryWriteBytes(payload, end);
            BitConverter.TryWriteBytes(payload.AsSpan(8), 1024);
            var error = Assert.Throws<PoolProtocolException>(() => _receiver.Read(payload, int.MaxValue, out _));
            Assert.Contains("before the last released position", error.Message);
        }
    }

    public static TheoryData<long, int, string> BadFrames => new()
    {
        { 100, 1000, "before the last released position" },
        { 10L << 20, 64 << 20, "claims a body" },
        { (1 << 20) + 10, 20, "runs past the ring's end" },
        { 10, 1, "claims a body" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public void A_shared_frame_pointing_outside_the_ring_is_a_protocol_error(long end, int length, string expected)
    {
        if (_receiver is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var payload = new byte[12];
        BitConverter.TryWriteBytes(payload, end);
        BitConverter.TryWriteBytes(payload.AsSpan(8), length);

        var error = Assert.Throws<PoolProtocolException>(() => _receiver.Read(payload, int.MaxValue, out _));
        Assert.Contains(expected, error.Message);
        Assert.Throws<PoolProtocolException>(() => _receiver.Read(payload.AsSpan(0, 11), int.MaxValue, out _));
    }

    /// <summary>A result frame as a worker writes one: a call id, then a byte array.</summary>
    private static (PoolWriter Writer, byte[] Array) ResultFrameOf(int arrayLength)
    {
        var array = new byte[arrayLength];
        new Random(arrayLength).NextBytes(array);
        var writer = new PoolWriter(1024);
        int start = FrameWriter.Begin(writer, FrameKind.Result);
        writer.WriteInt64(42);
        writer.WriteUnmanagedArray(array);
        FrameWriter.End(writer, start, int.MaxValue);
        return (writer, array);
    }

    [Fact]
    public async Task A_reader_decodes_behind_a_sender_that_is_still_copying()
    {
        if (_sender is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var (writer, array) = ResultFrameOf(700 * 1024);
        Assert.True(_sender.TryReserveFrame(writer, 0, out var reservation));
        var shared = SharedPayloadOf(writer, reservation);
        var body = writer.WrittenSpan.Slice(reservation.BodyStart, reservation.BodyLength).ToArray();
        // Only the first step is in when the reader starts.
        _sender.CopyIn(body.AsSpan(0, SharedRing.CopyStep), reservation.RingStart);

        var reading = Task.Factory.StartNew(() =>
        {
            var frame = _receiver!.ReadFrame(shared, int.MaxValue, senderGone: null, out long end);
            int arrivedAtStart = frame.Arrival!.Arrived;
            var reader = frame.OpenReader(PoolReader.DefaultMaxDepth);
            long callId = reader.ReadInt64();
            var decoded = reader.ReadUnmanagedArray<byte>();
            reader.EnsureEnd("result");
            _receiver.Release(end);
            return (frame.Kind, arrivedAtStart, callId, decoded);
        }, TaskCreationOptions.LongRunning);

        await Task.Delay(200);
        Assert.False(reading.IsCompleted, "the reader finished an array whose bytes were not all written");
        _sender.CopyIn(body.AsSpan(SharedRing.CopyStep), reservation.RingStart + SharedRing.CopyStep);

        var (kind, arrivedAtStart, callId, decoded) = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FrameKind.Result, kind);
        Assert.Equal(SharedRing.CopyStep - ProtocolConstants.BodyHeaderSize, arrivedAtStart);
        Assert.Equal(42, callId);
        Assert.Equal(array, decoded);
    }

    [Fact]
    public void A_sender_that_dies_mid_copy_ends_the_read_with_an_error_instead_of_a_wait()
    {
        if (_sender is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var (writer, _) = ResultFrameOf(700 * 1024);
        Assert.True(_sender.TryReserveFrame(writer, 0, out var reservation));
        _sender.CopyIn(writer.WrittenSpan.Slice(reservation.BodyStart, SharedRing.CopyStep), reservation.RingStart);
        int asked = 0;

        var frame = _receiver!.ReadFrame(SharedPayloadOf(writer, reservation), int.MaxValue, () => ++asked > 2, out long end);
        var reader = frame.OpenReader(PoolReader.DefaultMaxDepth);
        Assert.Equal(42, reader.ReadInt64());
        SharedBodyAbandonedException? error = null;
        try
        {
            reader.ReadUnmanagedArray<byte>();
        }
        catch (SharedBodyAbandonedException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Contains("died while copying", error.Message);
        Assert.Equal(3, asked); // asked only once the wait had gone on, and until it said so
        Assert.Throws<SharedBodyAbandonedException>(() => _receiver.Release(end, () => true));
    }

    [Fact]
    public void A_shared_frame_past_what_the_sender_reserved_is_refused_instead_of_waited_for()
    {
        if (_receiver is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var payload = new byte[12];
        BitConverter.TryWriteBytes(payload, 70_000L);
        BitConverter.TryWriteBytes(payload.AsSpan(8), 1000);

        var error = Assert.Throws<PoolProtocolException>(() => _receiver.ReadFrame(payload, int.MaxValue, senderGone: null, out _));
        Assert.Contains("past the 0 its sender reserved", error.Message);
    }
}
