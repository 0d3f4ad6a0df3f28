// The pool example of "Synchronization and Pooling of processes in Python" (tutorialspoint), in ProcPool:
// apply_async(f, (10,)).get(timeout=1), map over range(10), stepping an imap with next(timeout), and a
// ten-second sleep whose get(timeout=1) times out. Then a longer map with a progress bar.
using ProcPool;
using Squares;

await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 4 });   // Pool(processes=4)

PoolResult<int> result = pool.ApplyAsync(SquareTasks.Square, 10);                    // apply_async(myfunction, (10,))
Console.WriteLine(result.Get(TimeSpan.FromSeconds(1)));                              // 100

int[] squares = pool.Map(SquareTasks.Square, Enumerable.Range(0, 10));               // map(myfunction, range(10))
Console.WriteLine($"[{string.Join(", ", squares)}]");                                // [0, 1, 4, ..., 81]

using (PoolIterator<int> it = pool.IMap(SquareTasks.Square, Enumerable.Range(0, 10)))  // imap(myfunction, range(10))
{
    Console.WriteLine(it.Next());                                                    // 0
    Console.WriteLine(it.Next());                                                    // 1
    Console.WriteLine(it.Next(TimeSpan.FromSeconds(1)));                             // 4 unless your computer is *very* slow
}

PoolResult sleeping = pool.ApplyAsync(SquareTasks.Sleep, 10);                        // apply_async(time.sleep, (10,))
try
{
    sleeping.Get(TimeSpan.FromSeconds(1));                                           // raises TimeoutError
}
catch (TimeoutException e)
{
    Console.WriteLine($"TimeoutException: {e.Message}");
}

// Python's map can't tell you how far it got. MapAsync takes an IProgress<PoolProgress>.
Console.WriteLine("400 slower squares on the three idle workers:");
var bar = new ProgressBar();
int[] slow = await pool.MapAsync(SquareTasks.SlowSquare, Enumerable.Range(0, 400).ToArray(), chunkSize: 4, progress: bar);
bar.Finish();
Console.WriteLine($"sum of squares 0..399 = {slow.Sum(x => (long)x)}");
// Leaving the block terminates the pool, like Python's `with Pool() as p:`: the ten-second sleep is killed.

/// <summary>Draws a one-line bar from the reports (IProgress posts them on the thread pool here).</summary>
internal sealed class ProgressBar : IProgress<PoolProgress>
{
    private readonly object _gate = new();

    public void Report(PoolProgress value)
    {
        lock (_gate)
        {
            double fraction = value.Fraction ?? 0;
            int filled = (int)(fraction * 40);
            Console.Write($"\r  [{new string('#', filled)}{new string('.', 40 - filled)}] {value.Done,3}/{value.Total} in {value.Elapsed.TotalSeconds:0.00} s");
        }
    }

    public void Finish()
    {
        lock (_gate) Console.WriteLine();
    }
}
