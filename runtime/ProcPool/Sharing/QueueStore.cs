namespace ProcPool.Sharing;

/// <summary>
/// The items of a <see cref="SharedQueue{T}"/>, kept encoded in the owner process, the gets waiting for an item and, in
/// a bounded queue, the puts waiting for room. An item goes to the longest-waiting get, or to the end of the queue; a
/// get that frees room lets the longest-waiting put in. Everything happens under one lock, so an item is never given to
/// a get that has just timed out or been cancelled, and a put that timed out or was cancelled never adds its item.
/// </summary>
internal sealed class QueueStore(int capacity)
{
    private readonly object _lock = new();
    private readonly LinkedList<byte[]> _items = new();
    private readonly LinkedList<GetWaiter> _gets = new();
    private readonly LinkedList<PutWaiter> _puts = new();
    private bool _closed;

    /// <summary>The most items the queue holds; 0 for no limit.</summary>
    public int Capacity { get; } = capacity;

    public int Count
    {
        get { lock (_lock) return _items.Count; }
    }

    /// <summary>
    /// Adds the item once there is room: true at once in an unbounded queue; false if <paramref name="timeout"/> passes
    /// first (zero: only if there is room now).
    /// </summary>
    public Task<bool> PutAsync(byte[] item, TimeSpan timeout, CancellationToken cancellationToken)
    {
        PutWaiter waiter;
        lock (_lock)
        {
            if (_closed) return Task.FromException<bool>(Closed());
            if (HandToGet(item)) return s_true;
            if (Capacity == 0 || _items.Count < Capacity)
            {
                _items.AddLast(item);
                return s_true;
            }
            if (timeout == TimeSpan.Zero) return s_false;
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
            waiter = new PutWaiter(this, item);
            waiter.Node = _puts.AddLast(waiter);
        }
        waiter.Arm(timeout, cancellationToken);
        return waiter.Task;
    }

    /// <summary>Puts back at the front an item whose get could not deliver it (the connection broke), room or not.</summary>
    public void PutBack(byte[] item)
    {
        lock (_lock)
        {
            if (!HandToGet(item)) _items.AddFirst(item);
        }
    }

    /// <summary>The next item, once there is one; null when <paramref name="timeout"/> passes first.</summary>
    public Task<byte[]?> TakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        GetWaiter waiter;
        lock (_lock)
        {
            if (_closed) return Task.FromException<byte[]?>(Closed());
            if (_items.First is { } first)
            {
                _items.RemoveFirst();
                AdmitPuts();
                return Task.FromResult<byte[]?>(first.Value);
            }
            if (timeout == TimeSpan.Zero) return Task.FromResult<byte[]?>(null);
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<byte[]?>(cancellationToken);
            waiter = new GetWaiter(this);
            waiter.Node = _gets.AddLast(waiter);
        }
        waiter.Arm(timeout, cancellationToken);
        return waiter.Task;
    }

    /// <summary>
    /// Closes the store for good (the owner disposed the queue): every put and get still waiting, here or on behalf of
    /// a worker, fails with <see cref="ObjectDisposedException"/>, and so does every later one.
    /// </summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var get in _gets)
            {
                get.Node = null;
                get.TrySetException(Closed());
            }
            foreach (var put in _puts)
            {
                put.Node = null;
                put.TrySetException(Closed());
            }
            _gets.Clear();
            _puts.Clear();
        }
    }

    private static ObjectDisposedException Closed() => new("SharedQueue", "The SharedQueue was disposed by its owner.");

    private static readonly Task<bool> s_true = Task.FromResult(true);
    private static readonly Task<bool> s_false = Task.FromResult(false);

    private bool HandToGet(byte[] item)
    {
        while (_gets.First is { } node)
        {
            _gets.RemoveFirst();
            node.Value.Node = null;
            if (node.Value.TrySetResult(item)) return true;
        }
        return false;
    }

    /// <summary>Lets waiting puts in while there is room. Under the lock.</summary>
    private void AdmitPuts()
    {
        while (_items.Count < Capacity && _puts.First is { } node)
        {
            _puts.RemoveFirst();
            node.Value.Node = null;
            if (node.Value.TrySetResult(true)) _items.AddLast(node.Value.Item);
        }
    }

    /// <summary>Takes a waiter out of its line after a timeout or a cancellation, unless it has been served already.</summary>
    private void Abandon<TResult, TSelf>(TSelf waiter, LinkedList<TSelf> line, TResult timedOut, CancellationToken cancelledBy)
        where TSelf : Waiter<TResult, TSelf>
    {
        lock (_lock)
        {
            if (waiter.Node is null) return; // served: a get has its item, a put's item is in
            line.Remove(waiter.Node);
            waiter.Node = null;
            if (cancelledBy.IsCancellationRequested) waiter.TrySetCanceled(cancelledBy);
            else waiter.TrySetResult(timedOut);
        }
    }

    private sealed class GetWaiter(QueueStore store) : Waiter<byte[]?, GetWaiter>
    {
        public override void GiveUp(CancellationToken cancelledBy) => store.Abandon<byte[]?, GetWaiter>(this, store._gets, null, cancelledBy);
    }

    private sealed class PutWaiter(QueueStore store, byte[] item) : Waiter<bool, PutWaiter>
    {
        public byte[] Item { get; } = item;

        public override void GiveUp(CancellationToken cancelledBy) => store.Abandon<bool, PutWaiter>(this, store._puts, false, cancelledBy);
    }

    /// <summary>A get or put waiting in line, with the timer and cancellation that can take it out of the line.</summary>
    private abstract class Waiter<TResult, TSelf>() : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously)
        where TSelf : Waiter<TResult, TSelf>
    {
        private Timer? _timer;
        private CancellationTokenRegistration _registration;

        public LinkedListNode<TSelf>? Node { get; set; }

        /// <summary>Leaves the line: a timeout (an empty token) or a cancellation; does nothing once served.</summary>
        public abstract void GiveUp(CancellationToken cancelledBy);

        public void Arm(TimeSpan timeout, CancellationToken cancellationToken)
        {
            // Past a timer's range (about 49 days) a wait is as good as endless.
            if (timeout != Timeout.InfiniteTimeSpan && timeout.TotalMilliseconds < uint.MaxValue - 1)
                _timer = new Timer(static s => ((TSelf)s!).GiveUp(CancellationToken.None), this, timeout, Timeout.InfiniteTimeSpan);
            if (cancellationToken.CanBeCanceled)
                _registration = cancellationToken.Register(static (s, token) => ((TSelf)s!).GiveUp(token), this);
            Task.ContinueWith(static (_, s) => ((TSelf)s!).Cleanup(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void Cleanup()
        {
            _timer?.Dispose();
            _registration.Dispose();
        }
    }
}
