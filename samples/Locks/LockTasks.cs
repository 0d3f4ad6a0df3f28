using ProcPool;

namespace Locks;

public static class LockTasks
{
    /// <summary>
    /// The reference's <c>my_function(x, y)</c>: takes the shared lock, prints, lets it go. The lock crosses as an
    /// argument (Python's <c>multiprocessing.Lock</c> can too, when it is given to a <c>Process</c>).
    /// </summary>
    [PoolTask]
    public static void MyFunction(SharedLock x, int y)
    {
        x.Acquire();                                                   // x.acquire()
        try
        {
            Console.WriteLine($"hello world {y}");                     // print('hello world', y)
        }
        finally
        {
            x.Release();                                               // x.release()
        }
        // Or, as C# prefers (Python's "with x:"): using (x.Acquire()) Console.WriteLine(...);
    }
}
