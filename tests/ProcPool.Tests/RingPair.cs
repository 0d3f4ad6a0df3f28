using ProcPool.Interop;
using ProcPool.Protocol;

namespace ProcPool.Tests;

/// <summary>Both ends of one shared ring in this process (one memfd, mapped twice), as a parent and a worker hold it.</summary>
internal sealed class RingPair(SharedRing sender, SharedRing receiver) : IDisposable
{
    public SharedRing Sender { get; } = sender;

    public SharedRing Receiver { get; } = receiver;

    /// <summary>A ring of <paramref name="capacity"/> bytes; null where memfds are not available (not Linux).</summary>
    public static RingPair? Create(int capacity)
    {
        var sender = SharedRing.Create(capacity, out int fd);
        if (sender is null) return null;
        var receiver = SharedRing.Map(fd, capacity);
        LibC.Close(fd);
        if (receiver is null)
        {
            sender.Dispose();
            return null;
        }
        return new RingPair(sender, receiver);
    }

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
    }
}
