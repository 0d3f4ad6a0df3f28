namespace ProcPool.Hosting;

/// <summary>
/// What a <see cref="WorkerConnection"/> needs from the thing running the worker loop: an OS process normally, a
/// thread of this process in <see cref="PoolMode.InProcess"/>.
/// </summary>
internal abstract class WorkerProcessHandle
{
    public abstract int ProcessId { get; }

    public abstract bool HasExited { get; }

    /// <summary>Raised once when the worker has ended.</summary>
    public event Action? Exited;

    protected void RaiseExited() => Exited?.Invoke();

    /// <summary>Stops the worker now (SIGKILL for a process).</summary>
    public abstract void Kill();

    public abstract bool WaitForExit(TimeSpan timeout);

    public abstract Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>How the worker ended, for error messages: exit code or signal.</summary>
    public abstract string DescribeExit();

    /// <summary>The pipe ends the parent talks through.</summary>
    public required Stream ToWorker { get; init; }

    public required Stream FromWorker { get; init; }

    public required Stream Control { get; init; }

    /// <summary>The large-message rings (calls to the worker, results from it), if the platform has them.</summary>
    public SharedRingPair? SharedMemory { get; init; }
}

/// <summary>The two shared rings of a worker, and the descriptor numbers the worker inherited them under.</summary>
internal sealed record SharedRingPair(Protocol.SharedRing Calls, int CallsFd, Protocol.SharedRing Results, int ResultsFd)
{
    /// <summary>Creates both rings for a worker about to start; null if shared memory is off or unavailable.</summary>
    public static SharedRingPair? TryCreate(int capacity)
    {
        if (capacity <= 0) return null;
        var calls = Protocol.SharedRing.Create(capacity, out int callsFd);
        if (calls is null) return null;
        var results = Protocol.SharedRing.Create(capacity, out int resultsFd);
        if (results is null)
        {
            calls.Dispose();
            Protocol.SharedMemoryNative.Close(callsFd);
            return null;
        }
        return new SharedRingPair(calls, callsFd, results, resultsFd);
    }

    /// <summary>Closes this process's descriptors once the worker has inherited them (the mappings stay).</summary>
    public void CloseDescriptors()
    {
        Protocol.SharedMemoryNative.Close(CallsFd);
        Protocol.SharedMemoryNative.Close(ResultsFd);
    }
}
