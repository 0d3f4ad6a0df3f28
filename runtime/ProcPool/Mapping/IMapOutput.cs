namespace ProcPool.Mapping;

/// <summary>Where a map's results go: an array for <c>Map</c>/<c>MapAsync</c>, an iterator for <c>IMap</c>/<c>IMapUnordered</c>.</summary>
internal interface IMapOutput<TResult>
{
    /// <summary>
    /// True if, after an item fails, results of the chunks before it are still wanted (an ordered iterator
    /// delivers them first); the map then leaves those chunks running.
    /// </summary>
    bool KeepsEarlierChunksAfterFailure { get; }

    /// <summary>Gives the output the map's slot release (called once per chunk when its results are consumed) and its cancel.</summary>
    void Attach(Action releaseSlot, Action<Exception> cancel);

    /// <summary>A chunk came back; <paramref name="completed"/> results from its start, then <paramref name="error"/> if an item failed.</summary>
    void OnChunk(int sequence, long firstIndex, TResult[]? results, int completed, Exception? error);

    /// <summary>The map failed or was cancelled.</summary>
    void Fail(Exception error);

    /// <summary>Every chunk came back successfully.</summary>
    void Complete();
}
