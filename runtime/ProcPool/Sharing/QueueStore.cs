namespace ProcPool.Sharing;

/// <summary>
/// The items of a <see cref="SharedQueue{T}"/>, kept encoded in the owner process, and the gets waiting for one. An item
/// goes to the longest-waiting get, or to the end of the queue; everything happens under one lock, so an item is
/// never given to a get that has just timed out or been cancelled.
/// </summary>
internal sealed class QueueStore
{
    private readonly object _lock = new();
    private readonly LinkedList<byte[]> _items = new();
    private readonly LinkedList<Waiter> _waiters = new();

    public int Count
    {
        get { lock (_lock) return _items.Count; }
    }

    public void Put(byte[] item)
    {
        lock (_lock)
        {
            if (!HandToWaiter(item)) _items.AddLast(item);
        }
    }

    /// <summary>Puts back at the front an item whose get could not deliver it (the connection broke).</summary>
    public void PutBack(byte[] item)
    {
        lock (_lock)
        {
            if (!HandToWaiter(item)) _items.AddFirst(item);
        }
    }

    /// <summary>The next item, once there is one; null when <paramref name="timeout"/> passes first.</summary>
    public Task<byte[]?> TakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_items.First is { } first)
            {
                _items.RemoveFirst();
                return Task.FromResult<byte[]?>(first.Value);
            }
            if (timeout == TimeSpan.Zero) return Task.FromResult<byte[]?>(null);
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<byte[]?>(cancellationToken);
            waiter = new Waiter(this);
            waiter.Node = _waiters.AddLast(waiter);
        }
        waiter.Arm(timeout, cancellationToken);
        return waiter.Task;
    }

    private bool HandToWaiter(byte[] item)
    {
        while (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            node.Value.Node = null;
            if (node.Value.TrySetResult(item)) return true;
        }
        return false;
    }

    private void Abandon(Waiter waiter, CancellationToken cancelledBy)
    {
        lock (_lock)
        {
            if (waiter.Node is null) return; // it already has its item
            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            if (cancelledBy.IsCancellationRequested) waiter.TrySetCanceled(cancelledBy);
            else waiter.TrySetResult(null);
        }
    }

    private sealed class Waiter(QueueStore store) : TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private Timer? _timer;
        private CancellationTokenRegistration _registration;

        public LinkedListNode<Waiter>? Node { get; set; }

        public void Arm(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (timeout != Timeout.InfiniteTimeSpan)
                _timer = new Timer(static s => ((Waiter)s!).Expire(), this, timeout, Timeout.InfiniteTimeSpan);
            if (cancellationToken.CanBeCanceled)
                _registration = cancellationToken.Register(static (s, token) => { var w = (Waiter)s!; w.Cancel(token); }, this);
            Task.ContinueWith(static (_, s) => ((Waiter)s!).Cleanup(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void Expire() => store.Abandon(this, CancellationToken.None);

        private void Cancel(CancellationToken token) => store.Abandon(this, token);

        private void Cleanup()
        {
            _timer?.Dispose();
            _registration.Dispose();
        }
    }
}
