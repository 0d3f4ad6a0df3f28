namespace ProcPool.Protocol;

internal static class ProtocolConstants
{
    /// <summary>Bumped on any change to the frame layout; both sides refuse frames of another version.</summary>
    public const byte Version = 4;

    /// <summary>int32 body length, then the body's version and kind bytes.</summary>
    public const int LengthPrefixSize = 4;

    /// <summary>Version and kind.</summary>
    public const int BodyHeaderSize = 2;

    /// <summary>The largest frame body accepted unless <see cref="PoolOptions.MaxFrameSize"/> says otherwise.</summary>
    public const int DefaultMaxFrameSize = 256 * 1024 * 1024;
}
