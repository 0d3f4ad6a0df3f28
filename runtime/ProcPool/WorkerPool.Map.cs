using Microsoft.Extensions.Logging;
using ProcPool.Mapping;
using ProcPool.Runtime;

namespace ProcPool;

// The engine behind Map, MapAsync, IMap, IMapUnordered, StarMap and StarMapAsync; the public overloads, one per
// delegate shape, are in WorkerPool.Map.Overloads.cs (written by tools/generate-apply-overloads.py).
public sealed partial class WorkerPool
{
    /// <summary>Chunks a map keeps outstanding per worker when it builds an array (enough to keep every worker busy).</summary>
    private const int ArrayChunksPerWorker = 8;

    /// <summary>Chunks an iterator keeps outstanding (running or finished but not yet consumed) per worker.</summary>
    private const int StreamChunksPerWorker = 4;

    private PoolResult<TResult[]> MapCore<TItem, TArgs, TResult>(
        PoolTask<TArgs, TResult> task, IEnumerable<TItem>? items, IAsyncEnumerable<TItem>? asyncItems, Func<TItem, TArgs> toArguments,
        int? chunkSize, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
        where TArgs : struct
    {
        ThrowIfDisposed();
        if (items is null && asyncItems is null) throw new ArgumentNullException(nameof(items));
        long? total = items is not null && items.TryGetNonEnumeratedCount(out int count) ? count : null;
        var output = new ArrayOutput<TResult>(task, total);
        var run = new MapRun<TArgs, TResult>(_scheduler, task, output, chunkSize, total, ArrayChunksPerWorker * _scheduler.WorkerCount, progress, cancellationToken);
        run.Start(items, asyncItems, toArguments);
        return output;
    }

    private PoolIterator<TResult> IterateCore<TItem, TArgs, TResult>(
        PoolTask<TArgs, TResult> task, IEnumerable<TItem>? items, IAsyncEnumerable<TItem>? asyncItems, Func<TItem, TArgs> toArguments,
        int? chunkSize, bool ordered, CancellationToken cancellationToken)
        where TArgs : struct
    {
        ThrowIfDisposed();
        if (items is null && asyncItems is null) throw new ArgumentNullException(nameof(items));
        // An iterator's source may be endless: Python's rule needs a count, so a lazy source gets adaptive chunks.
        long? total = items is not null && items.TryGetNonEnumeratedCount(out int count) ? count : null;
        var stream = new StreamOutput<TResult>(ordered);
        var run = new MapRun<TArgs, TResult>(_scheduler, task, stream, chunkSize, total, StreamChunksPerWorker * _scheduler.WorkerCount, null, cancellationToken);
        run.Start(items, asyncItems, toArguments);
        return new PoolIterator<TResult>(stream, task.Name);
    }

    /// <summary>Runs <paramref name="callback"/> or <paramref name="errorCallback"/> on the thread pool when <paramref name="result"/> completes.</summary>
    private TResult WithCallbacks<TResult>(TResult result, Action callback, Action<Exception>? errorCallback)
        where TResult : PoolResult
    {
        ArgumentNullException.ThrowIfNull(callback);
        result.AsTask().ContinueWith(
            static (task, state) =>
            {
                var (pool, ok, failed) = ((WorkerPool, Action, Action<Exception>?))state!;
                pool.RunCallback(task, ok, failed);
            },
            (this, callback, errorCallback), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return result;
    }

    private PoolResult<TValue> WithCallbacks<TValue>(PoolResult<TValue> result, Action<TValue> callback, Action<Exception>? errorCallback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return WithCallbacks(result, () => callback(result.Get(TimeSpan.Zero)), errorCallback);
    }

    private void RunCallback(Task completed, Action callback, Action<Exception>? errorCallback)
    {
        try
        {
            if (completed.IsCompletedSuccessfully) callback();
            else errorCallback?.Invoke(completed.Exception?.InnerException ?? new OperationCanceledException());
        }
        catch (Exception e)
        {
            // Like Python's pool, a failing callback does not affect the pool; unlike it, it does not kill a thread either.
            _scheduler.Logger?.LogError(e, "A ProcPool callback threw");
        }
    }

    private static class Adapt<T>
    {
        public static readonly Func<T, ValueTuple<T>> Single = static item => new ValueTuple<T>(item);
    }

    private static class Same<T>
    {
        public static readonly Func<T, T> Identity = static item => item;
    }
}
