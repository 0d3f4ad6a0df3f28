using System.Diagnostics;

namespace ProcPool.Mapping;

/// <summary>
/// How many items go in one chunk (one frame, one call). With a count: Python's rule, items ÷ (4 × workers) rounded
/// up. Without one (a lazy source): start at one item and grow towards about 2 ms of work per chunk as chunks come
/// back, so per-chunk overhead stays small and slow items are not bunched up.
/// </summary>
internal sealed class ChunkSizer(int? fixedSize, long? total, int workers)
{
    private const int MaxAdaptiveSize = 4096;
    private static readonly double TargetChunkTicks = Stopwatch.Frequency * 0.002;
    private double _averageItemTicks = -1;

    public int Next()
    {
        if (fixedSize is { } size) return size;
        if (total is { } n)
        {
            long perChunk = (n + 4L * workers - 1) / (4L * workers);
            return (int)Math.Clamp(perChunk, 1, int.MaxValue);
        }
        double average = Volatile.Read(ref _averageItemTicks);
        if (average < 0) return 1;
        return (int)Math.Clamp(TargetChunkTicks / Math.Max(average, 1), 1, MaxAdaptiveSize);
    }

    /// <summary>Learns from a finished chunk: <paramref name="ticks"/> of work for <paramref name="items"/> items.</summary>
    public void Observe(int items, long ticks)
    {
        if (items <= 0 || ticks <= 0) return;
        double perItem = ticks / (double)items;
        double average = Volatile.Read(ref _averageItemTicks);
        Volatile.Write(ref _averageItemTicks, average < 0 ? perItem : average * 0.7 + perItem * 0.3);
    }
}
