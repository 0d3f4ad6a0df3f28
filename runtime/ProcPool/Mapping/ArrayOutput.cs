using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool.Mapping;

/// <summary>Collects a map's results into one array in item order, and completes the map's <see cref="PoolResult{T}"/>.</summary>
internal sealed class ArrayOutput<TResult> : PoolResult<TResult[]>, IMapOutput<TResult>
{
    private readonly long? _total;
    private readonly TResult[]? _known;
    private readonly SortedDictionary<int, (long First, TResult[] Results, int Count)>? _chunks;
    private Action _releaseSlot = static () => { };

    public ArrayOutput(PoolTaskDescriptor task, long? total) : base(task)
    {
        _total = total;
        if (total is { } n)
        {
            if (n > Array.MaxLength) throw new ArgumentException($"A map of {n} items cannot return one array; use IMap to stream the results.");
            _known = new TResult[n];
        }
        else
        {
            _chunks = [];
        }
    }

    public bool KeepsEarlierChunksAfterFailure => false;

    public void Attach(Action releaseSlot, Action<Exception> cancel) => _releaseSlot = releaseSlot;

    public void OnChunk(int sequence, long firstIndex, TResult[]? results, int completed, Exception? error)
    {
        try
        {
            if (error is not null || results is null) return;
            if (_known is not null)
            {
                Array.Copy(results, 0, _known, firstIndex, completed);
                return;
            }
            lock (_chunks!) _chunks[sequence] = (firstIndex, results, completed);
        }
        finally
        {
            _releaseSlot();
        }
    }

    public void Fail(Exception error) => TrySetException(error);

    public void Complete()
    {
        if (_known is not null)
        {
            TrySetResult(_known);
            return;
        }
        TResult[] all;
        lock (_chunks!)
        {
            long count = _chunks.Values.Sum(c => (long)c.Count);
            all = new TResult[count];
            foreach (var (first, results, n) in _chunks.Values) Array.Copy(results, 0, all, first, n);
        }
        TrySetResult(all);
    }

    // Never sent to a worker: it stands for the whole map.
    internal override void WriteArguments(PoolWriter writer) => throw new InvalidOperationException("A map's result is not a call.");

    internal override void SetResultFrom(ref PoolReader reader) => throw new InvalidOperationException("A map's result is not a call.");

    public override string ToString() => $"Map of {TaskName} ({_total?.ToString() ?? "?"} items)";
}
