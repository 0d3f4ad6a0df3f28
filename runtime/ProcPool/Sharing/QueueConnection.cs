using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ProcPool.Sharing;

/// <summary>
/// A client's connection to a queue's owner. One request at a time: a connection is rented for one operation from a
/// small per-process pool (<see cref="Rent"/>) and returned after it, so concurrent operations in one worker use
/// separate connections and a long get never holds up a put. A connection that fails is dropped, never returned.
/// </summary>
internal sealed class QueueConnection : IDisposable
{
    private static readonly ConcurrentDictionary<string, ConcurrentBag<QueueConnection>> Idle = new(StringComparer.Ordinal);

    private readonly Socket _socket;
    private readonly string _path;

    private QueueConnection(Socket socket, string path)
    {
        _socket = socket;
        _path = path;
    }

    public static QueueConnection Rent(string path)
    {
        if (Idle.TryGetValue(path, out var bag) && bag.TryTake(out var idle)) return idle;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ObjectDisposedException("SharedQueue", $"The SharedQueue at {path} is gone: its owner disposed it or exited ({e.SocketErrorCode}).");
        }
        return new QueueConnection(socket, path);
    }

    public void Return() => Idle.GetOrAdd(_path, static _ => []).Add(this);

    /// <summary>Adds the item once the owner has room; false if none came within <paramref name="timeout"/>. Blocks the calling thread.</summary>
    public bool Put(byte[] item, TimeSpan timeout)
    {
        Send(QueueProtocol.Put, PutPayload(item, timeout));
        Span<byte> status = stackalloc byte[1];
        Receive(status);
        return status[0] switch
        {
            QueueProtocol.Ok => true,
            QueueProtocol.Full => false,
            QueueProtocol.Cancelled => throw Gone(), // cancelled by the owner: it is closing the queue
            _ => throw Unexpected(status[0]),
        };
    }

    /// <summary>
    /// <see cref="Put"/> without blocking a thread. Cancelling sends a cancel and still waits for the answer, which is
    /// either "cancelled" (then this throws, and the item is not in the queue) or "added" (then it returns true).
    /// </summary>
    public async ValueTask<bool> PutAsync(byte[] item, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte status = await RequestCancellably(QueueProtocol.Put, PutPayload(item, timeout), cancellationToken).ConfigureAwait(false);
        return status switch
        {
            QueueProtocol.Ok => true,
            QueueProtocol.Full => false,
            QueueProtocol.Cancelled => throw Cancelled(cancellationToken),
            _ => throw Unexpected(status),
        };
    }

    public int Count()
    {
        Send(QueueProtocol.Count, []);
        ExpectOk();
        Span<byte> count = stackalloc byte[4];
        Receive(count);
        return BinaryPrimitives.ReadInt32LittleEndian(count);
    }

    /// <summary>The next item, or null if none arrived within <paramref name="timeout"/>. Blocks the calling thread.</summary>
    public byte[]? Get(TimeSpan timeout)
    {
        Send(QueueProtocol.Get, TimeoutPayload(timeout));
        Span<byte> status = stackalloc byte[1];
        Receive(status);
        return status[0] switch
        {
            QueueProtocol.Item => ReceiveItem(),
            QueueProtocol.Empty => null,
            QueueProtocol.Cancelled => throw Gone(), // cancelled by the owner: it is closing the queue
            _ => throw Unexpected(status[0]),
        };
    }

    /// <summary>
    /// The next item, or null on timeout. Cancelling sends a cancel and still waits for the answer, which is either
    /// "cancelled" (then this throws) or an item that was already on its way (then it is returned, not lost).
    /// </summary>
    public async ValueTask<byte[]?> GetAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte status = await RequestCancellably(QueueProtocol.Get, TimeoutPayload(timeout), cancellationToken).ConfigureAwait(false);
        switch (status)
        {
            case QueueProtocol.Item:
                var length = new byte[4];
                await ReceiveAsync(length).ConfigureAwait(false);
                var item = new byte[QueueProtocol.ReadLength(length)];
                await ReceiveAsync(item).ConfigureAwait(false);
                return item;
            case QueueProtocol.Empty:
                return null;
            case QueueProtocol.Cancelled:
                throw Cancelled(cancellationToken);
            default:
                throw Unexpected(status);
        }
    }

    /// <summary>Sends a put or a get and reads its status; a cancel of the token asks the owner to cancel it.</summary>
    private async ValueTask<byte> RequestCancellably(byte op, byte[] payload, CancellationToken cancellationToken)
    {
        await SendAsync(op, payload, CancellationToken.None).ConfigureAwait(false);
        Task? cancelSent = null;
        byte status;
        using (cancellationToken.Register(() => cancelSent = SendAsync(QueueProtocol.Cancel, [], CancellationToken.None).AsTask()))
            status = await ReceiveStatusAsync().ConfigureAwait(false);
        // The cancel must be on the wire before the next request, so it can only ever meet this one.
        if (cancelSent is not null) await cancelSent.ConfigureAwait(false);
        return status;
    }

    // "Cancelled" without a cancelled token: the owner cancelled it, because it is closing the queue.
    private Exception Cancelled(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : Gone();

    public void Dispose() => _socket.Dispose();

    private static byte[] TimeoutPayload(TimeSpan timeout)
    {
        var payload = new byte[QueueProtocol.TimeoutSize];
        QueueProtocol.WriteTimeout(payload, timeout);
        return payload;
    }

    private static byte[] PutPayload(byte[] item, TimeSpan timeout)
    {
        var payload = new byte[QueueProtocol.TimeoutSize + item.Length];
        QueueProtocol.WriteTimeout(payload, timeout);
        item.CopyTo(payload, QueueProtocol.TimeoutSize);
        return payload;
    }

    private void Send(byte op, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[QueueProtocol.HeaderSize];
        QueueProtocol.WriteHeader(header, op, payload.Length);
        SocketIo.SendAll(_socket, header);
        SocketIo.SendAll(_socket, payload);
    }

    private async ValueTask SendAsync(byte op, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new byte[QueueProtocol.HeaderSize + payload.Length];
        QueueProtocol.WriteHeader(message, op, payload.Length);
        payload.CopyTo(message, QueueProtocol.HeaderSize);
        await SocketIo.SendAllAsync(_socket, message, cancellationToken).ConfigureAwait(false);
    }

    private void ExpectOk()
    {
        Span<byte> status = stackalloc byte[1];
        Receive(status);
        if (status[0] != QueueProtocol.Ok) throw Unexpected(status[0]);
    }

    private byte[] ReceiveItem()
    {
        Span<byte> length = stackalloc byte[4];
        Receive(length);
        var item = new byte[QueueProtocol.ReadLength(length)];
        Receive(item);
        return item;
    }

    private void Receive(Span<byte> buffer)
    {
        if (!SocketIo.ReceiveExactly(_socket, buffer)) throw Gone();
    }

    private async ValueTask<byte> ReceiveStatusAsync()
    {
        var status = new byte[1];
        await ReceiveAsync(status).ConfigureAwait(false);
        return status[0];
    }

    private async ValueTask ReceiveAsync(byte[] buffer)
    {
        if (!await SocketIo.ReceiveExactlyAsync(_socket, buffer, CancellationToken.None).ConfigureAwait(false)) throw Gone();
    }

    private ObjectDisposedException Gone() => new("SharedQueue", $"The SharedQueue at {_path} is gone: its owner disposed it or exited.");

    private static PoolProtocolException Unexpected(byte status) => new($"Unexpected reply {status} from a SharedQueue's owner.");
}
