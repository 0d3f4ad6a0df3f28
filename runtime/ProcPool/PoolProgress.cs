namespace ProcPool;

/// <summary>How far a map has got, reported to the <see cref="IProgress{T}"/> given to <c>MapAsync</c>/<c>StarMapAsync</c>.</summary>
/// <param name="Done">Items finished so far, successfully or not.</param>
/// <param name="Total">Items in all, when the source's count is known; null for a source that is read lazily.</param>
/// <param name="Failed">Items that failed (a map stops at the first failure, so this is 0 or 1 plus cancelled ones).</param>
/// <param name="Elapsed">Time since the map started.</param>
public readonly record struct PoolProgress(long Done, long? Total, long Failed, TimeSpan Elapsed)
{
    /// <summary>Done as a fraction of Total (0 to 1), or null when the total is unknown.</summary>
    public double? Fraction => Total is > 0 ? (double)Done / Total.Value : Total == 0 ? 1 : null;
}
