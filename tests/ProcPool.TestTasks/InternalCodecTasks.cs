using ProcPool;

namespace ProcPool.TestTasks;

/// <summary>An internal type of this library, transported by an internal task of this library.</summary>
internal sealed record Secret(string Code, int Level, List<Secret>? Children);

public static class InternalCodecTasks
{
    [PoolTask]
    internal static Secret Promote(Secret secret) => secret with { Level = secret.Level + 1, Code = secret.Code + "@" + Environment.ProcessId };

    /// <summary>Sends an internal type through the pool from inside the library, and says what came back.</summary>
    public static async Task<string> PromoteThroughPoolAsync(WorkerPool pool, string code)
    {
        var promoted = await pool.PromoteAsync(new Secret(code, 1, [new Secret("child", 0, null)]));
        return $"{promoted.Code}|{promoted.Level}|{promoted.Children?.Single().Code}";
    }
}
