using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// One received frame: its kind and its body after the version and kind bytes. Valid until the next read. A frame
/// that came through shared memory may still be arriving (<see cref="Arrival"/>): read it through
/// <see cref="OpenReader"/>, never <see cref="Payload"/> directly.
/// </summary>
internal readonly ref struct Frame
{
    public Frame(FrameKind kind, ReadOnlySpan<byte> payload, BodyArrival? arrival = null)
    {
        Kind = kind;
        Payload = payload;
        Arrival = arrival;
    }

    public FrameKind Kind { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>How much of the payload has arrived, for a frame still being copied in; null when all of it has.</summary>
    public BodyArrival? Arrival { get; }

    /// <summary>A reader over the payload that waits for bytes still arriving.</summary>
    public PoolReader OpenReader(int maxDepth) => new(Payload, maxDepth, Arrival);
}
