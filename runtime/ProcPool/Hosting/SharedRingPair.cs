using ProcPool.Interop;
using ProcPool.Protocol;

namespace ProcPool.Hosting;

/// <summary>The two shared rings of a worker, and the descriptor numbers the worker inherited them under.</summary>
internal sealed record SharedRingPair(SharedRing Calls, int CallsFd, SharedRing Results, int ResultsFd)
{
    /// <summary>Creates both rings for a worker about to start; null if shared memory is off or unavailable.</summary>
    public static SharedRingPair? TryCreate(int capacity)
    {
        if (capacity <= 0) return null;
        var calls = SharedRing.Create(capacity, out int callsFd);
        if (calls is null) return null;
        var results = SharedRing.Create(capacity, out int resultsFd);
        if (results is null)
        {
            calls.Dispose();
            LibC.Close(callsFd);
            return null;
        }
        return new SharedRingPair(calls, callsFd, results, resultsFd);
    }

    /// <summary>Closes this process's descriptors once the worker has inherited them (the mappings stay).</summary>
    public void CloseDescriptors()
    {
        LibC.Close(CallsFd);
        LibC.Close(ResultsFd);
    }
}
