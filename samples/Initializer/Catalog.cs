using System.Diagnostics;
using ProcPool;

namespace Initializer;

/// <summary>A per-worker resource: built by the initializer, held in static fields of the worker process.</summary>
public static class Catalog
{
    private static Dictionary<int, string>? s_products;
    private static string s_source = "";
    private static int s_opened;
    private static TimeSpan s_openTime;

    /// <summary>Runs once in every worker before its first task (and in any replacement worker).</summary>
    [PoolInitializer]
    public static void Open(string source, int size)
    {
        var watch = Stopwatch.StartNew();
        s_source = source;
        s_products = Enumerable.Range(0, size).ToDictionary(i => i, i => $"product-{i:x5}");
        s_opened++;
        s_openTime = watch.Elapsed;
    }

    [PoolTask]
    public static string Lookup(int id)
    {
        var products = s_products ?? throw new InvalidOperationException("The catalog was not opened: is the initializer set?");
        return $"pid {Environment.ProcessId}: {id,6} -> {products[id]} (from {s_source}, opened #{s_opened} in {s_openTime.TotalMilliseconds:0} ms)";
    }
}
