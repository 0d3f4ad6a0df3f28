using System.Buffers.Binary;
using System.IO.Pipes;
using ProcPool.Hosting;
using ProcPool.Protocol;

namespace ProcPool.Tests;

/// <summary>Corrupt, truncated, oversized and wrong-version frames give a clear error and restart only the worker involved.</summary>
public class ProtocolTests
{
    private const byte V = ProtocolConstants.Version;

    public static TheoryData<string, byte[], string> Garbage => new()
    {
        { "oversized length", Frame(int.MaxValue - 8, [V, 3]), "maximum frame size" },
        { "negative length", Frame(-5, []), "frame length" },
        { "wrong version", Frame(10, [99, 3, 0, 0, 0, 0, 0, 0, 0, 0]), "protocol version 99" },
        { "unknown kind", Frame(2, [V, 77]), "unknown kind 77" },
        { "answer to a call never made", Frame(10, [V, 3, 1, 2, 3, 4, 5, 6, 7, 8]), "answered call" },
        { "shared-memory body before the ring's start", Frame(14, [V, 12, .. BitConverter.GetBytes(5L), .. BitConverter.GetBytes(1000)]), SharedMemoryExpected("before the last released") },
        { "shared-memory body larger than the ring", Frame(14, [V, 12, .. BitConverter.GetBytes(5L << 30), .. BitConverter.GetBytes(1 << 30)]), SharedMemoryExpected("claims a body") },
    };

    // Without memfds (not Linux) a worker has no ring, and any shared-memory frame is refused as such.
    private static string SharedMemoryExpected(string linux) => OperatingSystem.IsLinux() ? linux : "no shared memory";

    private static byte[] Frame(int length, byte[] body)
    {
        var bytes = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        body.CopyTo(bytes, 4);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_from_a_worker_fails_its_task_with_PoolProtocolException_and_the_pool_recovers(string what, byte[] garbage, string expected)
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2, MaxFrameSize = 1 << 20 });
        var corrupt = pool.CorruptResultPipeAsync(garbage);
        var bystanders = Enumerable.Range(0, 50).Select(i => pool.AddAsync(i, i)).ToList();

        var error = await Assert.ThrowsAsync<PoolProtocolException>(async () => await corrupt.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains(expected, error.Message);
        Assert.Contains("CrashTasks.CorruptResultPipe", error.Message);
        for (int i = 0; i < bystanders.Count; i++) Assert.Equal(2 * i, await bystanders[i].AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        // Only the worker that sent garbage was replaced: the pool is back to two.
        Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 2, TimeSpan.FromSeconds(30)), "the worker was not replaced");
        _ = what;
    }

    [Fact]
    public async Task A_frame_truncated_by_the_worker_exiting_is_a_protocol_error()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        // A header announcing 100 bytes, 3 of them, then the worker exits mid-frame.
        var call = pool.CorruptThenExitAsync(Frame(100, [V, 3, 0]));
        var error = await Assert.ThrowsAsync<PoolProtocolException>(async () => await call.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ended inside a frame", error.Message);
        Assert.Equal(2, await pool.AddAsync(1, 1));
    }

    [Theory]
    [InlineData(new byte[] { 10, 0, 0, 0, 99, 2, 0, 0, 0, 0, 0, 0, 0, 0 })]      // wrong version
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2 })]                    // oversized length
    [InlineData(new byte[] { 6, 0, 0, 0, 1, 2, 0, 0, 0, 0 })]                    // a call too short for its header
    [InlineData(new byte[] { 2, 0, 0, 0, 1, 200 })]                              // unknown kind
    public void A_worker_refuses_a_corrupt_frame_from_its_parent_and_exits(byte[] frame)
    {
        var (host, toWorker, fromWorker, control) = InProcessHost(maxFrameSize: 1 << 20);
        int exitCode = -1;
        var thread = new Thread(() => exitCode = host.Run()) { IsBackground = true };
        thread.Start();

        toWorker.Write(frame);
        toWorker.Flush();

        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "the worker did not stop");
        Assert.Equal(3, exitCode);
        // Close the worker's ends first: the drain thread then sees the end of the stream and stops by itself.
        host.Dispose();
        toWorker.Dispose();
        control.Dispose();
        _ = fromWorker;
    }

    private static (WorkerHost Host, Stream ToWorker, Stream FromWorker, Stream Control) InProcessHost(int maxFrameSize)
    {
        var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var control = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        var host = new WorkerHost(
            new AnonymousPipeClientStream(PipeDirection.In, toWorker.ClientSafePipeHandle),
            new AnonymousPipeClientStream(PipeDirection.Out, fromWorker.ClientSafePipeHandle),
            new AnonymousPipeClientStream(PipeDirection.In, control.ClientSafePipeHandle),
            workerId: 1, maxFrameSize, maxDepth: 64, exitProcessWhenParentGone: false);
        // Drain what the worker says (its hello), so it never blocks on a full pipe.
        new Thread(() =>
        {
            try { fromWorker.CopyTo(Stream.Null); }
            catch (Exception) { /* the test is over */ }
            finally { fromWorker.Dispose(); }
        }) { IsBackground = true }.Start();
        return (host, toWorker, fromWorker, control);
    }

    [Fact]
    public void The_frame_reader_survives_random_bytes_and_never_grows_past_the_maximum()
    {
        const int maxFrameSize = 4096;
        var random = new Random(20261122);
        int frames = 0, refused = 0;
        for (int round = 0; round < 3000; round++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            // Half the rounds start with a plausible header, so the reader gets past the length check too.
            if (round % 2 == 0 && bytes.Length >= 6)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes, random.Next(-10, bytes.Length + 50));
                bytes[4] = ProtocolConstants.Version;
            }
            using var reader = new FrameReader(new TrickleStream(bytes, random.Next(1, 64)), maxFrameSize);
            try
            {
                while (true)
                {
                    while (reader.TryReadBuffered(out _)) frames++;
                    Assert.True(reader.BufferCapacity <= Math.Max(maxFrameSize + 8, 64 * 1024), $"buffer grew to {reader.BufferCapacity}");
                    if (!reader.Fill()) break;
                }
            }
            catch (PoolProtocolException)
            {
                refused++;
            }
        }
        Assert.True(frames > 0 && refused > 0, $"frames {frames}, refused {refused}");
    }

    [Fact]
    public void An_announced_length_above_the_maximum_is_refused_before_any_buffer_grows()
    {
        var bytes = Frame(200_000_000, [V, 3]);
        using var reader = new FrameReader(new MemoryStream(bytes), maxFrameSize: 1 << 20);
        reader.Fill();
        var error = Assert.Throws<PoolProtocolException>(() => reader.TryReadBuffered(out _));
        Assert.Contains("maximum frame size", error.Message);
        Assert.True(reader.BufferCapacity < 1 << 20);
    }

    /// <summary>Hands out at most a few bytes per read, so frames arrive split at every possible point.</summary>
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));
    }
}
