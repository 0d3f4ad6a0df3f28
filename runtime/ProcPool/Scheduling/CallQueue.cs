namespace ProcPool.Scheduling;

/// <summary>
/// The calls waiting for a worker, oldest first. Intrusive (the links live on the calls), so queueing allocates
/// nothing and a cancelled call is removed in O(1). Not thread-safe: the scheduler guards it.
/// </summary>
internal sealed class CallQueue
{
    private PoolResult? _head;
    private PoolResult? _tail;

    public int Count { get; private set; }

    public void AddLast(PoolResult call)
    {
        call.QueuePrevious = _tail;
        call.QueueNext = null;
        if (_tail is null) _head = call;
        else _tail.QueueNext = call;
        _tail = call;
        call.IsQueued = true;
        Count++;
    }

    public void AddFirst(PoolResult call)
    {
        call.QueueNext = _head;
        call.QueuePrevious = null;
        if (_head is null) _tail = call;
        else _head.QueuePrevious = call;
        _head = call;
        call.IsQueued = true;
        Count++;
    }

    public bool TryTakeFirst(out PoolResult call)
    {
        call = _head!;
        if (call is null) return false;
        Remove(call);
        return true;
    }

    public bool Remove(PoolResult call)
    {
        if (!call.IsQueued) return false;
        if (call.QueuePrevious is null) _head = call.QueueNext;
        else call.QueuePrevious.QueueNext = call.QueueNext;
        if (call.QueueNext is null) _tail = call.QueuePrevious;
        else call.QueueNext.QueuePrevious = call.QueuePrevious;
        call.QueuePrevious = call.QueueNext = null;
        call.IsQueued = false;
        Count--;
        return true;
    }

    /// <summary>Empties the queue and returns what it held, oldest first.</summary>
    public List<PoolResult> Drain()
    {
        var all = new List<PoolResult>(Count);
        while (TryTakeFirst(out var call)) all.Add(call);
        return all;
    }
}
