using System.Diagnostics;
using ProcPool;

namespace Workers;

public static class WorkerTasks
{
    /// <summary>The reference's <c>worker(msg)</c>: sleeps 0–2 s and reports; returns how long it took.</summary>
    [PoolTask]
    public static TimeSpan Worker(int message)
    {
        var watch = Stopwatch.StartNew();
        Console.WriteLine($"{message} starts to execute, the process number is {Environment.ProcessId}");
        Thread.Sleep(TimeSpan.FromSeconds(Random.Shared.NextDouble() * 2));
        Console.WriteLine($"{message} Completed, time-consuming {watch.Elapsed.TotalSeconds:0.00}");
        return watch.Elapsed;
    }
}
