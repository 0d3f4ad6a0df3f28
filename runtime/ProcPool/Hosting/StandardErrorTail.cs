namespace ProcPool.Hosting;

/// <summary>The last lines a worker wrote to stderr, kept for the message of a <see cref="WorkerCrashedException"/>.</summary>
internal sealed class StandardErrorTail(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly ManualResetEventSlim _ended = new(false);

    public void Add(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
        }
    }

    /// <summary>Marks the end of the stream (the process closed stderr).</summary>
    public void End() => _ended.Set();

    /// <summary>Waits briefly for the stream to end, so the lines a dying worker wrote last are included.</summary>
    public IReadOnlyList<string> Snapshot(TimeSpan waitForEnd)
    {
        _ended.Wait(waitForEnd);
        lock (_lines) return [.. _lines];
    }
}
