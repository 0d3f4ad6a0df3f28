using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>Frames messages into a <see cref="PoolWriter"/>: length prefix, version, kind, payload.</summary>
internal static class FrameWriter
{
    /// <summary>Starts a frame; returns where it starts, for <see cref="End"/>.</summary>
    public static int Begin(PoolWriter writer, FrameKind kind)
    {
        int start = writer.Reserve(ProtocolConstants.LengthPrefixSize);
        writer.WriteByte(ProtocolConstants.Version);
        writer.WriteByte((byte)kind);
        return start;
    }

    /// <summary>Patches the frame's length; rolls the frame back and throws if it is larger than <paramref name="maxFrameSize"/>.</summary>
    public static void End(PoolWriter writer, int start, int maxFrameSize)
    {
        int bodyLength = writer.Length - start - ProtocolConstants.LengthPrefixSize;
        if (bodyLength > maxFrameSize)
        {
            writer.Truncate(start);
            throw new PoolSerializationException(
                $"A message of {bodyLength:N0} bytes exceeds the maximum frame size of {maxFrameSize:N0} bytes; raise PoolOptions.MaxFrameSize or send less data per task.");
        }
        writer.PatchInt32(start, bodyLength);
    }

    /// <summary>Writes a whole frame with no payload (Ping, Pong, Shutdown, SharedMemoryReady).</summary>
    public static void WriteEmptyFrame(PoolWriter writer, FrameKind kind) => End(writer, Begin(writer, kind), int.MaxValue);

    /// <summary>Writes a whole frame whose payload is one int64 (a call id).</summary>
    public static void WriteCallIdFrame(PoolWriter writer, FrameKind kind, long callId)
    {
        int start = Begin(writer, kind);
        writer.WriteInt64(callId);
        End(writer, start, int.MaxValue);
    }
}
