using ProcPool;

namespace Processes;

public static class ProcessTasks
{
    /// <summary>The reference's <c>myProcess()</c>.</summary>
    [PoolTask]
    public static void MyProcess() => Console.WriteLine("Hello Process World");

    /// <summary>A target with arguments, like <c>Process(target=myProcess, args=(42, 43))</c>; unlike Python's, it can return a value.</summary>
    [PoolTask]
    public static int Sum(int a, int b, int myParam1)
    {
        Console.WriteLine($"called as Sum({a}, {b}, myParam1: {myParam1}) in process {Environment.ProcessId}");
        return a + b + myParam1;
    }
}
