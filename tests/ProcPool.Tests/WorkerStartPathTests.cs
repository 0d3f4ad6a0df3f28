using System.Buffers;
using System.IO.Pipes;
using ProcPool.Hosting;
using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// The pieces a worker's start was made cheaper with: assembly names sent as UTF-16 with the simple name parsed by the
/// parent, first buffers allocated rather than rented (yet still fit to go back to the pool), and processes launched
/// before their connections are set up, with early output kept in order.
/// </summary>
public class WorkerStartPathTests
{
    [Theory]
    [InlineData("App, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", "App")]
    [InlineData("My.Tasks, Version=2.3.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef", "My.Tasks")]
    [InlineData("NoComma", "")]
    [InlineData("We\\,ird, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", "")]
    [InlineData("\"Quoted\", Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", "")]
    public void The_parent_sends_the_simple_name_or_nothing_when_only_the_full_parser_can_read_it(string fullName, string expected) =>
        Assert.Equal(expected, WorkerConnection.SimpleNameOf(fullName));

    [Theory]
    [InlineData("")]
    [InlineData("App, Version=1.0.0.0")]
    [InlineData("/home/user/é漢字/bin/App.dll")]
    public void A_string_written_as_utf16_reads_back_at_any_alignment(string text)
    {
        var writer = new PoolWriter();
        writer.WriteByte(7); // leaves the characters at an odd offset
        writer.WriteUtf16String(text);
        writer.WriteString("after");

        var reader = new PoolReader(writer.WrittenSpan);
        Assert.Equal(7, reader.ReadByte());
        Assert.Equal(text, reader.ReadString());
        Assert.Equal("after", reader.ReadString());
        reader.EnsureEnd("test");
    }

    [Fact]
    public void A_utf16_string_longer_than_its_frame_is_refused()
    {
        var writer = new PoolWriter();
        writer.WriteUtf16String("four");
        var truncated = writer.WrittenSpan[..^2].ToArray();

        Assert.Throws<PoolSerializationException>(() => new PoolReader(truncated).ReadString());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4096)]
    [InlineData(70_000)]
    public void Allocated_first_buffers_are_pool_shaped_so_growing_past_them_works(int capacity)
    {
        var buffer = PoolBuffers.Allocate(capacity);
        Assert.True(buffer.Length >= capacity);
        Assert.Equal(0, buffer.Length & (buffer.Length - 1));
        ArrayPool<byte>.Shared.Return(buffer); // throws for an array the pool could not have handed out

        var writer = new PoolWriter(capacity);
        var payload = new byte[capacity * 3];
        Random.Shared.NextBytes(payload);
        writer.WriteRaw(payload); // grows, returning the first buffer to the pool
        Assert.Equal(payload, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Output_a_launched_worker_prints_before_its_connection_exists_is_delivered_first_and_in_order()
    {
        Action<string?, bool>? emit = null;
        var launched = LaunchedWorker.Launch(7, output =>
        {
            emit = output;
            output("early 1", false);
            output("early 2", true);
            return null!;
        });
        emit!("before connect", false);

        var seen = new List<(string?, bool)>();
        launched.DeliverOutputTo((line, isError) => seen.Add((line, isError)));
        emit("after connect", false);

        Assert.Equal(7, launched.Id);
        Assert.Equal([("early 1", false), ("early 2", true), ("before connect", false), ("after connect", false)], seen);
    }

    [Fact]
    public void An_inherited_pipe_end_reads_until_the_writer_closes_and_a_write_to_a_closed_pipe_is_an_IOException()
    {
        if (OperatingSystem.IsWindows()) return; // Windows workers open their pipes as pipe streams

        using var server = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        using var read = InheritedHandles.OpenPipe(server.GetClientHandleAsString(), FileAccess.Read);
        server.ClientSafePipeHandle.SetHandleAsInvalid(); // the descriptor is the stream's now, as in a worker
        Assert.IsType<DescriptorStream>(read);
        server.Write([1, 2, 3, 4, 5]);
        server.Dispose();

        var received = new byte[16];
        int total = 0, got;
        while ((got = read.Read(received.AsSpan(total))) > 0) total += got;
        Assert.Equal([1, 2, 3, 4, 5], received[..total]);

        using var reader = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        using var write = InheritedHandles.OpenPipe(reader.GetClientHandleAsString(), FileAccess.Write);
        reader.ClientSafePipeHandle.SetHandleAsInvalid();
        write.Write([9, 8, 7]);
        var back = new byte[3];
        Assert.Equal(3, reader.Read(back));
        Assert.Equal([9, 8, 7], back);
        reader.Dispose();
        Assert.Throws<IOException>(() => write.Write([1]));
    }
}
