using System.Net.Sockets;

namespace ProcPool.Sharing;

/// <summary>Whole-buffer reads and writes on a stream socket, in both the blocking and the asynchronous form.</summary>
internal static class SocketIo
{
    /// <summary>Fills <paramref name="buffer"/>; false if the peer closed before the first byte, an error if it closed midway.</summary>
    public static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0) return read == 0 ? false : throw new IOException("The other side closed the connection in the middle of a message.");
            read += n;
        }
        return true;
    }

    public static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = socket.Receive(buffer[read..], SocketFlags.None);
            if (n == 0) return read == 0 ? false : throw new IOException("The other side closed the connection in the middle of a message.");
            read += n;
        }
        return true;
    }

    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            int n = await socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            buffer = buffer[n..];
        }
    }

    public static void SendAll(Socket socket, ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = socket.Send(buffer, SocketFlags.None);
            buffer = buffer[n..];
        }
    }
}
