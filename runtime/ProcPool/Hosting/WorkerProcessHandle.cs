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

    /// <summary>
    /// How the process ended, as Python's <c>exitcode</c> puts it: its exit code, or minus the number of the signal that
    /// killed it; null while it runs, or where there is no process.
    /// </summary>
    public abstract int? ExitCode { get; }

    /// <summary>The pipe ends the parent talks through.</summary>
    public required Stream ToWorker { get; init; }

    public required Stream FromWorker { get; init; }

    public required Stream Control { get; init; }

    /// <summary>The large-message rings (calls to the worker, results from it), if the platform has them.</summary>
    public SharedRingPair? SharedMemory { get; init; }

    /// <summary>Closes this process's ends of the pipes and its shared memory (for a worker never connected).</summary>
    public void DisposeChannels()
    {
        ToWorker.Dispose();
        FromWorker.Dispose();
        Control.Dispose();
        SharedMemory?.Calls.Dispose();
        SharedMemory?.Results.Dispose();
    }
}
