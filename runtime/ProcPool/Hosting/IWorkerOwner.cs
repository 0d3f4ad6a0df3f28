namespace ProcPool.Hosting;

/// <summary>What a <see cref="WorkerConnection"/> reports to the pool that owns it. Called on the connection's reader thread.</summary>
internal interface IWorkerOwner
{
    /// <summary>A call finished (its result is already set); the worker has room for another.</summary>
    void OnCallFinished(WorkerConnection worker, PoolResult call, long serviceTicks);

    /// <summary>The worker is gone. <paramref name="inFlight"/> are the calls it held, oldest (the running one) first.</summary>
    void OnWorkerLost(WorkerConnection worker, PoolResult[] inFlight, string exitDescription, int? exitCode, IReadOnlyList<string> lastStandardError, Exception? cause);

    /// <summary>A line of the worker's stdout or stderr.</summary>
    void OnWorkerOutput(WorkerConnection worker, bool isError, string line);
}
