using System.Diagnostics.CodeAnalysis;
using ProcPool.Runtime;
using ProcPool.Sharing;

namespace ProcPool;

/// <summary>
/// A first-in, first-out queue that the parent and every worker can use: Python's <c>Manager().Queue()</c>. Create it
/// in the parent with <see cref="Create()"/> and pass it to tasks as an argument. The parent owns the items and serves
/// them over a Unix domain socket in a private directory; a worker that receives the queue connects to it. Items are
/// encoded with the same generated codecs as task arguments (never reflection), so any type a task can take can travel.
/// </summary>
/// <remarks>
/// <see cref="Create()"/> makes an unbounded queue, whose <see cref="Put(T)"/> never waits; <see cref="Create(int)"/> one
/// that holds at most so many items (Python's <c>Queue(maxsize)</c>), whose puts wait for room, the longest-waiting one
/// first. Each item goes to exactly one <see cref="Get()"/>, the longest-waiting one first. Disposing the owner's instance
/// closes the queue for everyone. Linux only for now; see docs/shared-objects.md for the transport, its security, and
/// what Windows would need.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
/// <example>
/// <code>
/// using var queue = SharedQueue&lt;char&gt;.Create();
/// await pool.WriterAsync(queue, "helloworld");
/// await pool.ReaderAsync(queue, 10);
///
/// [PoolTask] public static void Writer(SharedQueue&lt;char&gt; queue, string text) { foreach (char c in text) queue.Put(c); }
/// </code>
/// </example>
public sealed class SharedQueue<T> : IDisposable
{
    private readonly QueueItemCodec<T> _codec;
    private readonly QueueStore? _store;
    private readonly QueueServer? _server;
    private int _disposed;

    private SharedQueue(string path, QueueItemCodec<T> codec, QueueStore? store, QueueServer? server)
    {
        Path = path;
        _codec = codec;
        _store = store;
        _server = server;
    }

    /// <summary>The owner's socket: the queue's identity, which is what travels to a worker.</summary>
    public string Path { get; }

    /// <summary>True in the process that created the queue (and holds its items).</summary>
    public bool IsOwner => _store is not null;

    /// <summary>The number of items waiting (Python's <c>qsize()</c>); already stale when it returns if others use the queue.</summary>
    public int Count
    {
        get
        {
            ThrowIfDisposed();
            return _store?.Count ?? WithConnection(static c => c.Count());
        }
    }

    /// <summary>
    /// Creates a queue owned by this process. Its items are encoded with the codec the generator registered for
    /// <typeparamref name="T"/> (for every <c>SharedQueue&lt;T&gt;</c> a <see cref="PoolTaskAttribute"/> method takes).
    /// </summary>
    /// <exception cref="InvalidOperationException">No codec is registered for <typeparamref name="T"/>.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static SharedQueue<T> Create() => Create(0);

    /// <summary>
    /// Creates a queue owned by this process that holds at most <paramref name="maxSize"/> items (Python's
    /// <c>Queue(maxsize)</c>; 0 for no limit): a put into a full queue waits until a get makes room.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">No codec is registered for <typeparamref name="T"/>.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static SharedQueue<T> Create(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("SharedQueue is implemented for Linux (a Unix domain socket in a private directory); see docs/shared-objects.md.");
        var codec = SharedQueueCodecs.Find<T>();
        var store = new QueueStore(maxSize);
        var server = QueueServer.Start(store);
        return new SharedQueue<T>(server.Path, codec, store, server);
    }

    /// <summary>A handle on a queue another process owns; generated code calls this when a task receives a queue.</summary>
    internal static SharedQueue<T> Connect(string path, QueueItemCodec<T> codec) => new(path, codec, store: null, server: null);

    /// <summary>Adds an item at the end (Python's <c>put</c>), waiting as long as it takes for room in a bounded queue.</summary>
    public void Put(T item)
    {
        if (!TryPut(item, Timeout.InfiniteTimeSpan)) throw new InvalidOperationException("A put without a timeout ended without adding its item.");
    }

    /// <summary>Adds an item at the end, waiting up to <paramref name="timeout"/> for room (Python's <c>put(item, True, timeout)</c>).</summary>
    /// <exception cref="TimeoutException">The queue stayed full (Python's <c>queue.Full</c>); the item was not added.</exception>
    public void Put(T item, TimeSpan timeout)
    {
        if (!TryPut(item, timeout)) throw new TimeoutException($"The SharedQueue stayed full for {timeout}; the item was not added.");
    }

    /// <summary>
    /// Adds an item at the end if there is room now or within <paramref name="timeout"/> (zero: only if there is room
    /// now, Python's <c>put_nowait</c>); false if the queue stayed full, and then the item is not in it.
    /// </summary>
    public bool TryPut(T item, TimeSpan timeout)
    {
        ThrowIfDisposed();
        ValidateTimeout(timeout);
        byte[] encoded = Encode(item);
        return _store is not null
            ? _store.PutAsync(encoded, timeout, CancellationToken.None).GetAwaiter().GetResult()
            : WithConnection(c => c.Put(encoded, timeout));
    }

    /// <summary>Adds an item at the end without blocking a thread, waiting as long as it takes for room in a bounded queue.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first; the item was not added.</exception>
    public ValueTask PutAsync(T item, CancellationToken cancellationToken = default) => PutAsync(item, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Adds an item at the end without blocking a thread, waiting up to <paramref name="timeout"/> for room.</summary>
    /// <exception cref="TimeoutException">The queue stayed full; the item was not added.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; the item was not added.</exception>
    public async ValueTask PutAsync(T item, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ValidateTimeout(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] encoded = Encode(item);
        bool added = _store is not null
            ? await _store.PutAsync(encoded, timeout, cancellationToken).ConfigureAwait(false)
            : await WithConnectionAsync(c => c.PutAsync(encoded, timeout, cancellationToken)).ConfigureAwait(false);
        if (!added) throw new TimeoutException($"The SharedQueue stayed full for {timeout}; the item was not added.");
    }

    /// <summary>Removes and returns the first item, waiting as long as it takes for one (Python's <c>get()</c>).</summary>
    public T Get() => TryGet(Timeout.InfiniteTimeSpan, out var item) ? item : throw new InvalidOperationException("A get without a timeout ended without an item.");

    /// <summary>Removes and returns the first item, waiting up to <paramref name="timeout"/> (Python's <c>get(True, timeout)</c>).</summary>
    /// <exception cref="TimeoutException">No item arrived in time (Python's <c>queue.Empty</c>).</exception>
    public T Get(TimeSpan timeout) =>
        TryGet(timeout, out var item) ? item : throw new TimeoutException($"No item arrived in the SharedQueue within {timeout}.");

    /// <summary>Removes the first item if one is there or arrives within <paramref name="timeout"/> (zero: only if one is there now).</summary>
    public bool TryGet(TimeSpan timeout, [MaybeNullWhen(false)] out T item)
    {
        ThrowIfDisposed();
        ValidateTimeout(timeout);
        byte[]? encoded = _store is not null
            ? _store.TakeAsync(timeout, CancellationToken.None).GetAwaiter().GetResult()
            : WithConnection(c => c.Get(timeout));
        if (encoded is null)
        {
            item = default;
            return false;
        }
        item = _codec.Decode(encoded);
        return true;
    }

    /// <summary>Removes and returns the first item, waiting without blocking a thread until there is one or the token is cancelled.</summary>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default) => GetAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Removes and returns the first item, waiting up to <paramref name="timeout"/> without blocking a thread.</summary>
    /// <exception cref="TimeoutException">No item arrived in time.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first (an item already on its way is returned instead).</exception>
    public async ValueTask<T> GetAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ValidateTimeout(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        byte[]? encoded = _store is not null
            ? await _store.TakeAsync(timeout, cancellationToken).ConfigureAwait(false)
            : await WithConnectionAsync(c => c.GetAsync(timeout, cancellationToken)).ConfigureAwait(false);
        return encoded is null
            ? throw new TimeoutException($"No item arrived in the SharedQueue within {timeout}.")
            : _codec.Decode(encoded);
    }

    /// <summary>
    /// In the owner: closes the queue for every process (puts and gets still waiting, here or in workers, fail with
    /// <see cref="ObjectDisposedException"/>) and deletes its socket. Elsewhere: only marks this handle disposed.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _server?.Dispose();
        _store?.Close();
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedQueue<{typeof(T).Name}>({Path})";

    /// <summary>
    /// Runs one asynchronous exchange on a rented connection: returned after it, and after a cancellation too (the owner
    /// answered "cancelled", so the exchange ended cleanly); dropped after any other failure.
    /// </summary>
    private async ValueTask<TResult> WithConnectionAsync<TResult>(Func<QueueConnection, ValueTask<TResult>> exchange)
    {
        var connection = QueueConnection.Rent(Path);
        TResult result;
        try
        {
            result = await exchange(connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            connection.Return();
            throw;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Return();
        return result;
    }

    private byte[] Encode(T item)
    {
        byte[] encoded = _codec.Encode(item);
        if (encoded.Length > QueueProtocol.MaxItemSize - QueueProtocol.TimeoutSize)
            throw new PoolSerializationException($"A SharedQueue item encodes to {encoded.Length:N0} bytes; the limit is {QueueProtocol.MaxItemSize - QueueProtocol.TimeoutSize:N0}.");
        return encoded;
    }

    private TResult WithConnection<TResult>(Func<QueueConnection, TResult> operation)
    {
        var connection = QueueConnection.Rent(Path);
        TResult result;
        try
        {
            result = operation(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Return();
        return result;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more (or Timeout.InfiniteTimeSpan).");
    }
}
