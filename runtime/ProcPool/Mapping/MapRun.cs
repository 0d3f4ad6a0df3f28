using System.Diagnostics;
using ProcPool.Runtime;
using ProcPool.Scheduling;

namespace ProcPool.Mapping;

/// <summary>
/// One map: reads the source lazily, packs items into chunks, keeps a bounded number of chunks outstanding
/// (back-pressure: an endless source runs in bounded memory), and hands finished chunks to its output, which
/// builds an array or feeds an iterator. The first failing item fails the whole map and cancels what is left.
/// </summary>
internal sealed class MapRun<TArgs, TResult> : IChunkSink<TResult>
    where TArgs : struct
{
    private readonly CallScheduler _scheduler;
    private readonly PoolTask<TArgs, TResult> _task;
    private readonly IMapOutput<TResult> _output;
    private readonly ChunkSizer _sizer;
    private readonly SemaphoreSlim _slots;
    private readonly IProgress<PoolProgress>? _progress;
    private readonly long? _total;
    private readonly CancellationTokenSource _stop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<ChunkCall<TResult>> _outstanding = [];
    private readonly ProgressReporter? _reporter;
    private readonly CancellationTokenRegistration _registration;
    private long _done;
    private long _failed;
    private int _finished;
    /// <summary>After the map has ended, only chunks up to this sequence still deliver (those an ordered iterator waits for).</summary>
    private int _deliverUpTo = -1;
    private bool _producerDone;

    public MapRun(CallScheduler scheduler, PoolTask<TArgs, TResult> task, IMapOutput<TResult> output, int? chunkSize, long? total,
        int maxChunksOutstanding, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        if (chunkSize is < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "The chunk size must be at least 1.");
        _scheduler = scheduler;
        _task = task;
        _output = output;
        _total = total;
        _progress = progress;
        _sizer = new ChunkSizer(chunkSize, total, scheduler.WorkerCount);
        _slots = new SemaphoreSlim(maxChunksOutstanding, maxChunksOutstanding);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (progress is not null) _reporter = new ProgressReporter(progress);
        output.Attach(ReleaseSlot, Cancel);
        if (cancellationToken.CanBeCanceled)
            _registration = cancellationToken.UnsafeRegister(static (s, token) =>
                ((MapRun<TArgs, TResult>)s!).Cancel(new OperationCanceledException($"The map of {((MapRun<TArgs, TResult>)s!).TaskName} was cancelled.", token)), this);
    }

    public string TaskName => _task.Name;

    /// <summary>Starts reading the source; the map ends through its output.</summary>
    public void Start<TItem>(IEnumerable<TItem>? items, IAsyncEnumerable<TItem>? asyncItems, Func<TItem, TArgs> toArguments)
    {
        // Keep a closing pool open until every chunk of this map has been submitted (Python's close() lets running maps finish).
        _scheduler.HoldOpen();
        _ = Task.Run(() => ProduceAsync(items, asyncItems, toArguments));
    }

    private async Task ProduceAsync<TItem>(IEnumerable<TItem>? items, IAsyncEnumerable<TItem>? asyncItems, Func<TItem, TArgs> toArguments)
    {
        var token = _stop.Token;
        long index = 0;
        int sequence = 0;
        TArgs[] buffer = new TArgs[_sizer.Next()];
        int filled = 0;
        try
        {
            if (asyncItems is not null)
            {
                await foreach (var item in asyncItems.WithCancellation(token).ConfigureAwait(false))
                {
                    buffer[filled++] = toArguments(item);
                    index++;
                    if (filled == buffer.Length) (buffer, filled) = await SubmitAsync(buffer, filled, index - filled, sequence++, token).ConfigureAwait(false);
                }
            }
            else
            {
                foreach (var item in items!)
                {
                    token.ThrowIfCancellationRequested();
                    buffer[filled++] = toArguments(item);
                    index++;
                    if (filled == buffer.Length) (buffer, filled) = await SubmitAsync(buffer, filled, index - filled, sequence++, token).ConfigureAwait(false);
                }
            }
            if (filled > 0) await SubmitAsync(buffer, filled, index - filled, sequence, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled or failed: Fail has already been (or is being) called.
        }
        catch (Exception e)
        {
            // The source threw (or the pool was terminated under the map): the map fails with that exception as it
            // is, as Python's map re-raises the iterator's own exception. It happened here, not in a worker.
            Cancel(e);
        }
        finally
        {
            lock (_outstanding) _producerDone = true;
            _scheduler.ReleaseOutstanding();
            CompleteIfDone();
        }
    }

    private async Task<(TArgs[] Next, int Filled)> SubmitAsync(TArgs[] buffer, int count, long firstIndex, int sequence, CancellationToken token)
    {
        await _slots.WaitAsync(token).ConfigureAwait(false);
        var chunk = new ChunkCall<TArgs, TResult>(_task, buffer, count, firstIndex, sequence, this);
        lock (_outstanding) _outstanding.Add(chunk);
        try
        {
            _scheduler.Submit(chunk, CancellationToken.None, afterClose: true);
        }
        catch
        {
            lock (_outstanding) _outstanding.Remove(chunk);
            _slots.Release();
            throw;
        }
        return (new TArgs[_sizer.Next()], 0);
    }

    void IChunkSink<TResult>.OnChunkFinished(ChunkCall<TResult> chunk, TResult[]? results, int completed, Exception? error)
    {
        if (error is null) _sizer.Observe(chunk.Count, chunk.ServiceTicks);
        Interlocked.Add(ref _done, error is null ? chunk.Count : completed + 1);
        if (error is not null) Interlocked.Increment(ref _failed);
        // Hand the results over before the chunk stops counting as outstanding: the map completes its output as
        // soon as nothing is outstanding, and must not do so before these results are in.
        // Once the map has ended, the chunks it cancelled must not report that cancellation as their own failure.
        if (Volatile.Read(ref _finished) == 0 || chunk.Sequence <= Volatile.Read(ref _deliverUpTo))
            _output.OnChunk(chunk.Sequence, chunk.FirstIndex, results, completed, error);
        lock (_outstanding) _outstanding.Remove(chunk);
        if (error is not null) Fail(error, _output.KeepsEarlierChunksAfterFailure ? chunk.Sequence : null);
        // The chunk that completes a map of known size is reported by the final report alone, not twice.
        var progress = Snapshot();
        if (progress.Total is not { } total || progress.Done < total) _reporter?.Report(progress, final: false);
        CompleteIfDone();
    }

    private PoolProgress Snapshot() => new(Interlocked.Read(ref _done), _total, Interlocked.Read(ref _failed), _clock.Elapsed);

    private void ReleaseSlot() => _slots.Release();

    /// <summary>Stops the map: the reader stops, chunks not yet sent are dropped, running ones are cancelled.</summary>
    public void Cancel(Exception reason) => Fail(reason, keepUpTo: null);

    /// <summary>
    /// Ends the map with <paramref name="error"/>. An ordered iterator still delivers the items before a failed one
    /// (as Python's <c>imap</c> does), so chunks up to <paramref name="keepUpTo"/> are left to finish.
    /// </summary>
    private void Fail(Exception error, int? keepUpTo)
    {
        if (keepUpTo is { } last) Volatile.Write(ref _deliverUpTo, last);
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        _registration.Unregister();
        _stop.Cancel();
        ChunkCall<TResult>[] pending;
        lock (_outstanding) pending = [.. _outstanding.Where(c => keepUpTo is null || c.Sequence > keepUpTo)];
        foreach (var chunk in pending) _scheduler.Cancel(chunk);
        _output.Fail(error);
        _reporter?.Report(Snapshot(), final: true);
    }

    private void CompleteIfDone()
    {
        lock (_outstanding)
        {
            if (!_producerDone || _outstanding.Count > 0) return;
        }
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        _registration.Unregister();
        // The map completes only after its last progress report has been handed over, so code after an await of
        // the map never sees a report arrive late.
        if (_reporter is null) _output.Complete();
        else _reporter.Report(Snapshot(), final: true, then: _output.Complete);
    }

    /// <summary>
    /// Reports progress off the connection's reader thread, at most every 50 ms (plus the final value), and never
    /// two reports at once, so a slow <see cref="IProgress{T}"/> cannot stall results or see values out of order.
    /// </summary>
    private sealed class ProgressReporter(IProgress<PoolProgress> progress)
    {
        private static readonly long Interval = Stopwatch.Frequency / 20;
        private readonly object _gate = new();
        private PoolProgress? _pending;
        private bool _running;
        private long _lastReport;
        private bool _finalSent;
        private Action? _afterFinal;

        public void Report(PoolProgress value, bool final, Action? then = null)
        {
            lock (_gate)
            {
                if (_finalSent)
                {
                    if (then is not null) ThreadPool.UnsafeQueueUserWorkItem(static a => a(), then, preferLocal: false);
                    return;
                }
                _afterFinal = then;
                long now = Stopwatch.GetTimestamp();
                if (!final && now - _lastReport < Interval) return;
                _lastReport = now;
                _finalSent = final;
                _pending = value;
                if (_running) return;
                _running = true;
            }
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Drain(), this, preferLocal: false);
        }

        private void Drain()
        {
            while (true)
            {
                PoolProgress value;
                Action? after = null;
                lock (_gate)
                {
                    if (_pending is null)
                    {
                        _running = false;
                        return;
                    }
                    value = _pending.Value;
                    _pending = null;
                    if (_finalSent)
                    {
                        after = _afterFinal;
                        _afterFinal = null;
                    }
                }
                try
                {
                    progress.Report(value);
                }
                catch (Exception)
                {
                    // A progress handler that throws must not break the map.
                }
                after?.Invoke();
            }
        }
    }
}
