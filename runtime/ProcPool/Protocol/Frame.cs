namespace ProcPool.Protocol;

/// <summary>One received frame: its kind and its body after the version and kind bytes. Valid until the next read.</summary>
internal readonly ref struct Frame
{
    public Frame(FrameKind kind, ReadOnlySpan<byte> payload)
    {
        Kind = kind;
        Payload = payload;
    }

    public FrameKind Kind { get; }

    public ReadOnlySpan<byte> Payload { get; }
}
