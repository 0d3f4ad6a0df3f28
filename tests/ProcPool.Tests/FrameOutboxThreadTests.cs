using ProcPool.Protocol;

namespace ProcPool.Tests;

/// <summary>
/// The outbox's writer thread is created on the first wake, not at start: a worker that flushes everything inline
/// (all it does before its first answer) never pays for the thread, and nothing pending is ever left unsent.
/// </summary>
public sealed class FrameOutboxThreadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static void AppendPing(FrameOutbox outbox, bool wakeWriter)
    {
        var writer = outbox.Acquire()!;
        FrameWriter.WriteEmptyFrame(writer, FrameKind.Ping);
        outbox.Release(wakeWriter);
    }

    [Fact]
    public void Frames_flushed_inline_never_create_the_writer_thread()
    {
        var stream = new MemoryStream();
        var outbox = new FrameOutbox(stream, "test-outbox");
        outbox.Start();

        AppendPing(outbox, wakeWriter: false);
        outbox.FlushInline();
        AppendPing(outbox, wakeWriter: false);
        outbox.FlushInline();

        Assert.Equal(2 * (ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize), stream.Length);
        Assert.False(outbox.HasWriterThread);
        outbox.Complete(Patience);
        Assert.False(outbox.HasWriterThread);
    }

    [Fact]
    public async Task The_first_wake_creates_the_writer_thread_which_sends_the_frames()
    {
        var stream = new MemoryStream();
        var outbox = new FrameOutbox(stream, "test-outbox");
        outbox.Start();

        AppendPing(outbox, wakeWriter: true);

        Assert.True(outbox.HasWriterThread);
        Assert.True(await Eventually.TrueAsync(() => stream.Length > 0, Patience));
        outbox.Complete(Patience);
    }

    [Fact]
    public void A_wake_before_start_is_served_once_the_outbox_starts()
    {
        var stream = new MemoryStream();
        var outbox = new FrameOutbox(stream, "test-outbox");

        AppendPing(outbox, wakeWriter: true);
        Assert.False(outbox.HasWriterThread);

        outbox.Start();
        Assert.True(outbox.HasWriterThread);
        outbox.Complete(Patience);
        Assert.Equal(ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize, stream.Length);
    }

    [Fact]
    public void Completing_sends_what_is_pending_even_if_no_thread_was_ever_woken()
    {
        var stream = new MemoryStream();
        var outbox = new FrameOutbox(stream, "test-outbox");
        outbox.Start();

        AppendPing(outbox, wakeWriter: false);
        AppendPing(outbox, wakeWriter: false);
        outbox.Complete(Patience);

        Assert.Equal(2 * (ProtocolConstants.LengthPrefixSize + ProtocolConstants.BodyHeaderSize), stream.Length);
    }
}
