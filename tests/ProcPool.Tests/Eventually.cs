namespace ProcPool.Tests;

/// <summary>Waits for something that happens asynchronously (a worker replaced, a line forwarded, a process gone).</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 20 ms; true as soon as it holds, false if <paramref name="within"/> passes first.</summary>
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (condition()) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
    }
}
