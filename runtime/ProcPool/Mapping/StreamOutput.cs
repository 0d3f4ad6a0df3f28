using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace ProcPool.Mapping;

/// <summary>
/// Feeds a map's results to a <see cref="PoolIterator{T}"/>, in item order (<c>IMap</c>) or as chunks finish
/// (<c>IMapUnordered</c>). A chunk's slot is given back only once the consumer has taken its last item, so a slow
/// consumer slows the map down instead of letting results pile up.
/// </summary>
internal sealed class StreamOutput<T>(bool ordered) : IMapOutput<T>
{
    private readonly Channel<Segment> _channel = Channel.CreateUnbounded<Segment>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<int, Segment> _early = [];
    private readonly object _gate = new();
    private int _nextSequence;
    private Exception? _itemFailure;
    private Action _releaseSlot = static () => { };
    private Action<Exception> _cancel = static _ => { };

    // Consumer state: one consumer at a time.
    private Segment _current;
    private bool _hasCurrent;
    private int _position;
    private ExceptionDispatchInfo? _terminal;
    private bool _ended;

    private readonly record struct Segment(T[]? Results, int Count, Exception? Error, bool HoldsSlot);

    public bool KeepsEarlierChunksAfterFailure => ordered;

    public void Attach(Action releaseSlot, Action<Exception> cancel)
    {
        _releaseSlot = releaseSlot;
        _cancel = cancel;
    }

    public void OnChunk(int sequence, long firstIndex, T[]? results, int completed, Exception? error)
    {
        var segment = new Segment(results, completed, error, HoldsSlot: true);
        lock (_gate)
        {
            if (error is not null) _itemFailure ??= error;
            if (!ordered)
            {
                _channel.Writer.TryWrite(segment);
                if (error is not null) _channel.Writer.TryComplete();
                return;
            }
            _early[sequence] = segment;
            while (_early.Remove(_nextSequence, out var next))
            {
                _nextSequence++;
                _channel.Writer.TryWrite(next);
                if (next.Error is not null)
                {
                    _channel.Writer.TryComplete();
                    return;
                }
            }
        }
    }

    public void Fail(Exception error)
    {
        lock (_gate)
        {
            // An item's failure travels in its chunk's segment, behind the results before it.
            if (ReferenceEquals(error, _itemFailure)) return;
            _channel.Writer.TryWrite(new Segment(null, 0, error, HoldsSlot: false));
            _channel.Writer.TryComplete();
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Stops the map (the consumer went away).</summary>
    public void Cancel(Exception reason) => _cancel(reason);

    /// <summary>Takes the next item if one is ready. Returns false with <paramref name="ended"/> true at the end of the results.</summary>
    public bool TryTake(out T value, out bool ended)
    {
        while (true)
        {
            if (_hasCurrent)
            {
                if (_position < _current.Count)
                {
                    value = _current.Results![_position++];
                    if (_position == _current.Count && _current.Error is null) FinishSegment();
                    ended = false;
                    return true;
                }
                var error = _current.Error;
                FinishSegment();
                if (error is not null) _terminal = ExceptionDispatchInfo.Capture(error);
            }
            _terminal?.Throw();
            if (_ended || !_channel.Reader.TryRead(out var segment))
            {
                ended = _ended || _channel.Reader.Completion.IsCompleted;
                _ended = ended;
                value = default!;
                return false;
            }
            _current = segment;
            _hasCurrent = true;
            _position = 0;
        }
    }

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    private void FinishSegment()
    {
        if (_current.HoldsSlot) _releaseSlot();
        _current = default;
        _hasCurrent = false;
    }
}
