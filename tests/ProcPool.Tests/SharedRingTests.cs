using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>The shared ring alone, both ends in this process over one memfd: placement, wrap-around, full, bad frames.</summary>
public sealed class SharedRingTests : IDisposable
{
    private const int Capacity = 1 << 20;
    private readonly SharedRing? _sender;
    private readonly SharedRing? _receiver;

    public SharedRingTests()
    {
        _sender = SharedRing.Create(Capacity, out int fd);
        if (_sender is null) return;
        _receiver = SharedRing.Map(fd, Capacity);
        Interop.LibC.Close(fd);
    }

    public void Dispose()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
    }

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

    private static byte[] SharedPayloadOf(PoolWriter writer)
    {
        var span = writer.WrittenSpan;
        Assert.Equal((byte)FrameKind.SharedBody, span[ProtocolConstants.LengthPrefixSize + 1]);
        return span[(ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize)..].ToArray();
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
            Assert.True(_sender.TryMoveFrame(writer, 0), $"frame {i} did not fit");
            pending.Enqueue((expected, SharedPayloadOf(writer)));
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
        Assert.True(_sender.TryMoveFrame(FrameOf(600 * 1024, 1), 0));
        var second = FrameOf(600 * 1024, 2);
        var before = second.WrittenSpan.ToArray();

        Assert.False(_sender.TryMoveFrame(second, 0));
        Assert.Equal(before, second.WrittenSpan.ToArray());
        Assert.False(_sender.TryMoveFrame(FrameOf(Capacity + 1, 3), 0));
        Assert.False(_sender.TryMoveFrame(FrameOf(1000, 4), 0)); // small frames stay in the pipe
    }

    [Fact]
    public void An_empty_ring_starts_again_at_its_beginning_and_a_body_may_fill_it_exactly()
    {
        if (_sender is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        for (int i = 0; i < 3; i++)
        {
            var writer = FrameOf(100 * 1024, (byte)i);
            var expected = BodyOf(writer);
            Assert.True(_sender.TryMoveFrame(writer, 0));
            var shared = SharedPayloadOf(writer);
            long end = BitConverter.ToInt64(shared);
            Assert.Equal(expected.Length, end % Capacity); // at offset 0 every time, not after the previous body
            Assert.Equal(expected, _receiver!.Read(shared, int.MaxValue, out long released).ToArray());
            _receiver.Release(released);
        }

        var whole = FrameOf(Capacity - ProtocolConstants.BodyHeaderSize, 9);
        var wholeBody = BodyOf(whole);
        Assert.Equal(Capacity, wholeBody.Length);
        Assert.True(_sender.TryMoveFrame(whole, 0));
        Assert.Equal(wholeBody, _receiver!.Read(SharedPayloadOf(whole), int.MaxValue, out _).ToArray());
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
}
