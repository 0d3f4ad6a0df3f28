namespace ProcPool.Tests;

/// <summary>Per-worker state built by an initializer, and tasks that read it back.</summary>
public static class InitializerTasks
{
    private static string? s_tag;
    private static int s_initCount;

    [PoolInitializer]
    public static void Setup(string tag, int offset)
    {
        s_tag = tag + offset;
        s_initCount++;
    }

    [PoolInitializer]
    public static void Explode(string message) => throw new InvalidOperationException(message);

    [PoolInitializer]
    public static async Task SetupAsync(string tag)
    {
        await Task.Yield();
        s_tag = tag;
        s_initCount++;
    }

    /// <summary>"tag|times the initializer ran in this worker|pid".</summary>
    [PoolTask]
    public static string ReadState() => $"{s_tag}|{s_initCount}|{Environment.ProcessId}";
}
