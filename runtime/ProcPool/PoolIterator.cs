using ProcPool.Mapping;

namespace ProcPool;

/// <summary>
/// The results of <c>IMap</c> or <c>IMapUnordered</c>, as they arrive: Python's <c>imap</c> iterator. Consume it with
/// <c>await foreach</c>, or step with <see cref="Next(TimeSpan?)"/> as in Python (<c>it.next(timeout=1)</c>).
/// Single pass, like a Python iterator. The map reads its source lazily and keeps a bounded number of chunks
/// outstanding, so an endless source works in bounded memory; disposing the iterator (or leaving the
/// <c>await foreach</c> early) cancels the rest of the map.
/// </summary>
/// <typeparam name="T">The task's result type.</typeparam>
public sealed class PoolIterator<T> : IAsyncEnumerable<T>, IAsyncDisposable, IDisposable
{
    private readonly StreamOutput<T> _stream;
    private int _enumerating;
    private int _disposed;

    internal PoolIterator(StreamOutput<T> stream, string taskName)
    {
        _stream = stream;
        TaskName = taskName;
    }

    /// <summary>The task being mapped, as <c>Type.Method</c>.</summary>
    public string TaskName { get; }

    /// <summary>
    /// Returns the next result, waiting up to <paramref name="timeout"/> for it (Python's <c>next(timeout)</c>).
    /// </summary>
    /// <exception cref="TimeoutException">No result arrived in time; the map goes on, and a later call can take it.</exception>
    /// <exception cref="InvalidOperationException">There are no more results (Python's <c>StopIteration</c>).</exception>
    /// <exception cref="PoolTaskException">The task failed on this item (its <see cref="PoolTaskException.ItemIndex"/> says which).</exception>
    public T Next(TimeSpan? timeout = null)
    {
        if (TryNext(out var value, timeout)) return value;
        throw new InvalidOperationException($"The map of {TaskName} has no more results.");
    }

    /// <summary>Like <see cref="Next(TimeSpan?)"/>, but returns false instead of throwing at the end of the results.</summary>
    /// <exception cref="TimeoutException">No result arrived in time.</exception>
    public bool TryNext(out T value, TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (true)
        {
            if (_stream.TryTake(out value, out bool ended)) return true;
            if (ended) return false;
            var remaining = deadline == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : deadline - DateTime.UtcNow;
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
                throw new TimeoutException($"No result of {TaskName} arrived within {timeout!.Value.TotalMilliseconds:0.###} ms; the map goes on.");
            var wait = _stream.WaitAsync(CancellationToken.None).AsTask();
            if (!wait.Wait(remaining))
                throw new TimeoutException($"No result of {TaskName} arrived within {timeout!.Value.TotalMilliseconds:0.###} ms; the map goes on.");
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerating, 1) != 0)
            throw new InvalidOperationException($"The results of {TaskName} can be enumerated once, like a Python iterator.");
        return new Enumerator(this, cancellationToken);
    }

    /// <summary>Cancels whatever of the map has not finished.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <summary>Cancels whatever of the map has not finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stream.Cancel(new OperationCanceledException($"The iterator over the map of {TaskName} was disposed."));
    }

    private sealed class Enumerator(PoolIterator<T> owner, CancellationToken cancellationToken) : IAsyncEnumerator<T>
    {
        public T Current { get; private set; } = default!;

        public async ValueTask<bool> MoveNextAsync()
        {
            while (true)
            {
                if (owner._stream.TryTake(out var value, out bool ended))
                {
                    Current = value;
                    return true;
                }
                if (ended) return false;
                await owner._stream.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync() => owner.DisposeAsync();
    }
}
