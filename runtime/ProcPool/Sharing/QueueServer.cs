using System.Buffers.Binary;
using System.Net.Sockets;

namespace ProcPool.Sharing;

/// <summary>
/// Serves a <see cref="QueueStore"/> to other processes over a Unix domain socket in a private (0700) directory: only
/// processes of the same user can reach the socket, because nobody else may enter the directory. Each connection runs
/// one request at a time; a pending get keeps listening for its cancel. Runs on the thread pool of the owner process.
/// </summary>
internal sealed class QueueServer : IDisposable
{
    private readonly QueueStore _store;
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();

    private QueueServer(QueueStore store, Socket listener, string directory, string path)
    {
        _store = store;
        _listener = listener;
        _directory = directory;
        Path = path;
    }

    /// <summary>The socket's path: the queue's identity, which is what travels to a worker.</summary>
    public string Path { get; }

    public static QueueServer Start(QueueStore store)
    {
        string directory = PrivateDirectory.Create("queue");
        string path = System.IO.Path.Combine(directory, "queue.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            PrivateDirectory.TryDelete(directory);
            throw;
        }
        var server = new QueueServer(store, listener, directory, path);
        _ = server.AcceptLoopAsync();
        return server;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Dispose();
        PrivateDirectory.TryDelete(_directory);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var connection = new ServerConnection(client, _stop.Token);
        var header = new byte[QueueProtocol.HeaderSize];
        try
        {
            while (await SocketIo.ReceiveExactlyAsync(client, header, _stop.Token).ConfigureAwait(false))
            {
                byte op = header[0];
                int length = QueueProtocol.ReadLength(header.AsSpan(1));
                var payload = length == 0 ? [] : new byte[length];
                if (length > 0 && !await SocketIo.ReceiveExactlyAsync(client, payload, _stop.Token).ConfigureAwait(false)) return;
                switch (op)
                {
                    case QueueProtocol.Put when length >= QueueProtocol.TimeoutSize:
                        connection.StartPut(_store, payload[QueueProtocol.TimeoutSize..], QueueProtocol.ReadTimeout(payload));
                        break;
                    case QueueProtocol.Count:
                        var count = new byte[4];
                        BinaryPrimitives.WriteInt32LittleEndian(count, _store.Count);
                        await connection.ReplyAsync(QueueProtocol.Ok, count).ConfigureAwait(false);
                        break;
                    case QueueProtocol.Get when length == QueueProtocol.TimeoutSize:
                        connection.StartGet(_store, QueueProtocol.ReadTimeout(payload));
                        break;
                    case QueueProtocol.Cancel:
                        connection.CancelPending();
                        break;
                    default:
                        return; // a client that does not speak the protocol: hang up
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or PoolProtocolException or IOException)
        {
            // The client went away or broke the protocol; its pending put or get (if any) is cancelled below.
        }
    }

    /// <summary>
    /// One client: replies are written under a lock, because a put or a get waiting in the store answers while the loop
    /// reads its cancel.
    /// </summary>
    private sealed class ServerConnection(Socket socket, CancellationToken stop) : IDisposable
    {
        private readonly SemaphoreSlim _writing = new(1, 1);
        private CancellationTokenSource? _pending;

        public void StartPut(QueueStore store, byte[] item, TimeSpan timeout) => _ = AnswerPutAsync(store, item, timeout, NewPending());

        public void StartGet(QueueStore store, TimeSpan timeout) => _ = AnswerGetAsync(store, timeout, NewPending());

        public void CancelPending() => _pending?.Cancel();

        private CancellationToken NewPending()
        {
            _pending?.Dispose();
            _pending = CancellationTokenSource.CreateLinkedTokenSource(stop);
            return _pending.Token;
        }

        public async Task ReplyAsync(byte status, byte[]? body)
        {
            await _writing.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(new[] { status }, SocketFlags.None, stop).ConfigureAwait(false);
                if (body is { Length: > 0 }) await SocketIo.SendAllAsync(socket, body, stop).ConfigureAwait(false);
            }
            finally
            {
                _writing.Release();
            }
        }

        private async Task AnswerPutAsync(QueueStore store, byte[] item, TimeSpan timeout, CancellationToken cancellationToken)
        {
            bool added;
            try
            {
                added = await store.PutAsync(item, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await TryReply(QueueProtocol.Cancelled, null).ConfigureAwait(false);
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // the owner closed the queue: the connection goes with it, and the client reports the queue gone
            }
            await TryReply(added ? QueueProtocol.Ok : QueueProtocol.Full, null).ConfigureAwait(false);
        }

        private async Task AnswerGetAsync(QueueStore store, TimeSpan timeout, CancellationToken cancellationToken)
        {
            byte[]? item;
            try
            {
                item = await store.TakeAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await TryReply(QueueProtocol.Cancelled, null).ConfigureAwait(false);
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // the owner closed the queue: the connection goes with it, and the client reports the queue gone
            }
            if (item is null)
            {
                await TryReply(QueueProtocol.Empty, null).ConfigureAwait(false);
                return;
            }
            var framed = new byte[4 + item.Length];
            BinaryPrimitives.WriteInt32LittleEndian(framed, item.Length);
            item.CopyTo(framed, 4);
            // An item that cannot be delivered goes back to the front, so a client that vanishes loses nothing.
            if (!await TryReply(QueueProtocol.Item, framed).ConfigureAwait(false)) store.PutBack(item);
        }

        private async Task<bool> TryReply(byte status, byte[]? body)
        {
            try
            {
                await ReplyAsync(status, body).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _pending?.Cancel();
            _pending?.Dispose();
            socket.Dispose();
        }
    }
}
