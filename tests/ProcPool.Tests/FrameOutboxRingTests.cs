using System.IO.Pipes;
using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// The outbox's half of the shared-memory path: a large frame moved to a ring leaves its stand-in frame in its place
/// on the stream, between the frames around it, and its body in the ring once the batch has been written.
/// </summary>
public sealed class FrameOutboxRingTests
{
    private static void WriteFrame(PoolWriter writer, FrameKind kind, long callId, int padding)
    {
        int start = FrameWriter.Begin(writer, kind);
        writer.WriteInt64(callId);
        for (int i = 0; i < padding; i++) writer.WriteByte((byte)(callId + i));
        FrameWriter.End(writer, start, int.MaxValue);
    }

    [Fact]
    public void A_moved_frame_keeps_its_place_among_the_frames_on_the_stream_and_its_body_lands_in_the_ring()
    {
        using var rings = RingPair.Create(1 << 20);
        if (rings is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var (sender, receiver) = (rings.Sender, rings.Receiver);
        var stream = new MemoryStream();
        var outbox = new FrameOutbox(stream, "test-outbox");

        var writer = outbox.Acquire()!;
        WriteFrame(writer, FrameKind.Call, 1, 10);
        int large = writer.Length;
        WriteFrame(writer, FrameKind.Call, 2, 300 * 1024);
        var largeBody = writer.WrittenSpan[(large + ProtocolConstants.LengthPrefixSize)..].ToArray();
        Assert.True(outbox.TryMoveToRing(sender, large));
        WriteFrame(writer, FrameKind.Call, 3, 10);
        outbox.Release(wakeWriter: false);
        outbox.FlushInline();

        stream.Position = 0;
        using var frames = new FrameReader(stream, int.MaxValue);
        var seen = new List<string>();
        while (true)
        {
            while (frames.TryReadBuffered(out var frame))
            {
                if (frame.Kind == FrameKind.SharedBody)
                {
                    var body = receiver.Read(frame.Payload, int.MaxValue, out long end);
                    Assert.Equal(largeBody, body.ToArray());
                    receiver.Release(end);
                    seen.Add("shared " + BitConverter.ToInt64(body[ProtocolConstants.BodyHeaderSize..]));
                }
                else
                {
                    seen.Add($"{frame.Kind} {BitConverter.ToInt64(frame.Payload)}");
                }
            }
            if (!frames.Fill()) break;
        }
        Assert.Equal(["Call 1", "shared 2", "Call 3"], seen);
        Assert.True(stream.Length < 1024, $"the large body went through the stream too ({stream.Length} bytes)");
        outbox.Dispose();
    }

    [Fact]
    public void Deferred_arrays_reach_the_ring_from_their_arrays_and_the_stream_filled_in()
    {
        using var rings = RingPair.Create(1 << 20);
        if (rings is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var (sender, receiver) = (rings.Sender, rings.Receiver);
        var stream = new MemoryStream();
        var outbox = new FrameOutbox(stream, "test-outbox");
        var fits = new byte[600 * 1024];
        var tooLarge = new byte[2 << 20]; // larger than the ring: through the stream, filled in
        new Random(1).NextBytes(fits);
        new Random(2).NextBytes(tooLarge);

        var writer = outbox.Acquire()!;
        writer.DefersLargeArrays = true;
        foreach (var (callId, array) in new[] { (1L, fits), (2L, tooLarge) })
        {
            int start = FrameWriter.Begin(writer, FrameKind.Call);
            writer.WriteInt64(callId);
            writer.WriteUnmanagedArray(array);
            FrameWriter.End(writer, start, int.MaxValue);
            Assert.Equal(callId == 1, outbox.TryMoveToRing(sender, start));
        }
        Assert.Single(writer.Deferred.ToArray()); // the one in the ring is still in its array until the flush
        outbox.Release(wakeWriter: false);
        outbox.FlushInline();

        stream.Position = 0;
        using var frames = new FrameReader(stream, int.MaxValue);
        var arrays = new List<byte[]?>();
        while (true)
        {
            while (frames.TryReadBuffered(out var frame))
            {
                var body = frame.Kind == FrameKind.SharedBody ? receiver.ReadFrame(frame.Payload, int.MaxValue, null, out _) : frame;
                var reader = body.OpenReader(PoolReader.DefaultMaxDepth);
                reader.ReadInt64();
                arrays.Add(reader.ReadUnmanagedArray<byte>());
            }
            if (!frames.Fill()) break;
        }
        Assert.Equal(2, arrays.Count);
        Assert.Equal(fits, arrays[0]);
        Assert.Equal(tooLarge, arrays[1]);
        outbox.Dispose();
    }

    [Fact]
    public void A_body_is_copied_before_the_frames_behind_its_stand_in_are_written()
    {
        // A real pipe (64 KiB to 1 MiB of buffer) and a reader that, like a worker, reads nothing more until the body
        // it waits for has arrived: the 4 MiB frame behind the stand-in fits the pipe only once the reader goes on.
        // Not disposed while a stuck reader could still be waiting in it (only if the test fails).
        var rings = RingPair.Create(1 << 20);
        if (rings is null) { Assert.False(OperatingSystem.IsLinux(), "memfd rings must exist on Linux"); return; }
        var (sender, receiver) = (rings.Sender, rings.Receiver);
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var outbox = new FrameOutbox(server, "test-outbox");
        var writer = outbox.Acquire()!;
        int ringFrame = writer.Length;
        WriteFrame(writer, FrameKind.Call, 1, 600 * 1024);
        Assert.True(outbox.TryMoveToRing(sender, ringFrame));
        int pipeFrame = writer.Length;
        WriteFrame(writer, FrameKind.Call, 2, 4 << 20);
        Assert.False(outbox.TryMoveToRing(sender, pipeFrame));
        outbox.Release(wakeWriter: false);
        var flusher = new Thread(outbox.FlushInline) { IsBackground = true };
        flusher.Start();

        var seen = new List<long>();
        Exception? readerError = null;
        var reading = new Thread(() =>
        {
            try
            {
                using var frames = new FrameReader(client, int.MaxValue);
                while (seen.Count < 2)
                {
                    while (frames.TryReadBuffered(out var frame))
                    {
                        var whole = frame.Kind == FrameKind.SharedBody ? receiver.ReadFrame(frame.Payload, int.MaxValue, null, out _) : frame;
                        var reader = whole.OpenReader(PoolReader.DefaultMaxDepth);
                        seen.Add(reader.ReadInt64());
                        reader.ReadRaw(reader.Remaining); // waits for the whole body, as a decoder would
                    }
                    if (seen.Count < 2 && !frames.Fill()) break;
                }
            }
            catch (Exception e)
            {
                readerError = e;
            }
        }) { IsBackground = true };
        reading.Start();

        Assert.True(reading.Join(TimeSpan.FromSeconds(30)), $"the two sides waited for each other; the reader got {seen.Count} frames");
        Assert.Null(readerError);
        Assert.Equal([1L, 2L], seen);
        Assert.True(flusher.Join(TimeSpan.FromSeconds(30)));
        outbox.Dispose();
        rings.Dispose();
    }
}
