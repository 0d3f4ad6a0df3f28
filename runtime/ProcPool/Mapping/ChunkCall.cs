using System.Diagnostics;
using System.Runtime.CompilerServices;
using ProcPool.Protocol;
using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool.Mapping;

/// <summary>Where a chunk reports its outcome: the map it belongs to.</summary>
internal interface IChunkSink<TResult>
{
    /// <summary>
    /// A chunk finished. <paramref name="results"/> holds <paramref name="completed"/> results from the start of the
    /// chunk; <paramref name="error"/> is the failure of the item after them (or of the whole chunk), if any.
    /// Called on a connection's reader thread: must be quick.
    /// </summary>
    void OnChunkFinished(ChunkCall<TResult> chunk, TResult[]? results, int completed, Exception? error);
}

/// <summary>A chunk of a map: many items of one task in one frame, each with its own status in the reply.</summary>
internal abstract class ChunkCall<TResult>(PoolTaskDescriptor task, long firstIndex, int count, int sequence) : PoolResult<Unit>(task)
{
    public long FirstIndex { get; } = firstIndex;

    public int Count { get; } = count;

    /// <summary>Position of the chunk in the map, for putting results back in order.</summary>
    public int Sequence { get; } = sequence;

    /// <summary>How long the chunk occupied its worker, once it came back.</summary>
    public long ServiceTicks { get; protected set; }

    internal override FrameKind RequestKind => FrameKind.Chunk;

    internal override int ItemCount => Count;
}

internal sealed class ChunkCall<TArgs, TResult> : ChunkCall<TResult>
    where TArgs : struct
{
    private readonly PoolTask<TArgs, TResult> _task;
    private readonly TArgs[] _arguments;
    private readonly IChunkSink<TResult> _sink;
    private int _reported;

    public ChunkCall(PoolTask<TArgs, TResult> task, TArgs[] arguments, int count, long firstIndex, int sequence, IChunkSink<TResult> sink)
        : base(task, firstIndex, count, sequence)
    {
        _task = task;
        _arguments = arguments;
        _sink = sink;
    }

    // The two per-item loops of a map in the parent are compiled optimized at once (AggressiveOptimization): they are
    // instantiated over the user's types, so no precompiled code exists for them, and a busy map's first seconds ran
    // them as unoptimized, then instrumented code (bench --only c: the first three maps of a fresh pool 2.8-4.3 M
    // items/s before, 4.2-7.2 M after).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void WriteArguments(PoolWriter writer)
    {
        writer.WriteInt32(Count);
        for (int i = 0; i < Count; i++)
        {
            // Each item is length-prefixed, so the worker decodes each on its own and one bad item cannot derail the rest.
            int lengthAt = writer.Reserve(4);
            _task.WriteArguments(writer, in _arguments[i]);
            writer.PatchInt32(lengthAt, writer.Length - lengthAt - 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void SetResultFrom(ref PoolReader reader)
    {
        if (StartedTimestamp != 0) ServiceTicks = Stopwatch.GetTimestamp() - StartedTimestamp;
        int count = reader.ReadInt32();
        if (count != Count) throw new PoolSerializationException($"A chunk of {Count} items came back with {count} results.");
        var results = new TResult[Count];
        for (int i = 0; i < Count; i++)
        {
            byte status = reader.ReadByte();
            if (status == 0)
            {
                int length = reader.ReadLength();
                var item = new PoolReader(reader.ReadRaw(Math.Max(length, 0)), reader.MaxDepth);
                results[i] = _task.ReadResult(ref item);
                if (item.Remaining != 0) item.EnsureEnd($"result of {_task.Name}"); // no message string per item unless it fails
                continue;
            }
            if (status != 1) throw new PoolSerializationException($"Invalid item status {status} in a chunk result.");
            var error = RemoteErrors.Read(ref reader, this, WorkerId ?? 0, WorkerProcessId ?? 0, FirstIndex + i);
            Report(results, i, error);
            TrySetResult(default);
            return;
        }
        reader.EnsureEnd("chunk result");
        Report(results, Count, null);
        TrySetResult(default);
    }

    private protected override void OnFinal(Exception? error)
    {
        // A chunk that failed as a whole (worker crash, timeout, cancellation, undecodable reply).
        if (error is not null) Report(null, 0, error);
    }

    private void Report(TResult[]? results, int completed, Exception? error)
    {
        if (Interlocked.Exchange(ref _reported, 1) == 0) _sink.OnChunkFinished(this, results, completed, error);
    }
}
