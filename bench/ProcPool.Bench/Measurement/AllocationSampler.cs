using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ProcPool.Bench.Measurement;

/// <summary>
/// Which types a workload allocates, from the runtime's allocation-tick events (one event per ~100 KB allocated,
/// naming the type that crossed the mark): a sampled profile, for <c>--alloc-profile</c>. dotnet-trace is not
/// installed here; this needs nothing but the runtime.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null || e.PayloadNames is null) return;
        int typeAt = e.PayloadNames.IndexOf("TypeName");
        int amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
        if (typeAt < 0 || amountAt < 0) return;
        string type = e.Payload[typeAt] as string ?? "?";
        long amount = Convert.ToInt64(e.Payload[amountAt], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    /// <summary>The sampled bytes by type, largest first.</summary>
    public IEnumerable<(string Type, long Bytes)> Top(int count) =>
        _bytesByType.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value));
}
