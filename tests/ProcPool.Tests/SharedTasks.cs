using System.Diagnostics;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>Tasks that use a SharedLock, a SharedQueue&lt;T&gt; or run as a WorkerProcess, for the tests of those types.</summary>
public static class SharedTasks
{
    /// <summary>Read, pause, write: without the lock, parallel increments lose updates.</summary>
    [PoolTask]
    public static int IncrementUnderLock(SharedLock gate, string counterPath, int times)
    {
        for (int i = 0; i < times; i++)
        {
            using (gate.Acquire())
            {
                int value = int.Parse(File.ReadAllText(counterPath));
                Thread.SpinWait(2_000);
                File.WriteAllText(counterPath, (value + 1).ToString());
            }
        }
        return Environment.ProcessId;
    }

    /// <summary>Takes the lock, says so in <paramref name="markerPath"/> (with its pid), and never lets go.</summary>
    [PoolTask]
    public static void HoldForever(SharedLock gate, string markerPath)
    {
        gate.Acquire();
        File.WriteAllText(markerPath, Environment.ProcessId.ToString());
        Thread.Sleep(Timeout.Infinite);
    }

    [PoolTask]
    public static bool TryAcquireWithin(SharedLock gate, int milliseconds)
    {
        if (!gate.TryAcquire(TimeSpan.FromMilliseconds(milliseconds))) return false;
        gate.Release();
        return true;
    }

    [PoolTask]
    public static async Task<string> AcquireAsyncCancelled(SharedLock gate, int milliseconds)
    {
        using var cancel = new CancellationTokenSource(milliseconds);
        try
        {
            await gate.AcquireAsync(cancel.Token);
            gate.Release();
            return "acquired";
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }

    [PoolTask]
    public static int PutLetters(SharedQueue<char> queue, string text)
    {
        foreach (char letter in text) queue.Put(letter);
        return Environment.ProcessId;
    }

    /// <summary>Blocks on the queue until <paramref name="count"/> letters came (Python's reader).</summary>
    [PoolTask]
    public static (string Letters, int ProcessId) TakeLetters(SharedQueue<char> queue, int count)
    {
        var letters = new char[count];
        for (int i = 0; i < count; i++) letters[i] = queue.Get(TimeSpan.FromSeconds(30));
        return (new string(letters), Environment.ProcessId);
    }

    [PoolTask]
    public static string GetOrTimeout(SharedQueue<string> queue, int milliseconds)
    {
        try
        {
            return "item " + queue.Get(TimeSpan.FromMilliseconds(milliseconds));
        }
        catch (TimeoutException)
        {
            return "timeout";
        }
    }

    [PoolTask]
    public static async Task<string> GetAsyncCancelled(SharedQueue<string> queue, int milliseconds)
    {
        using var cancel = new CancellationTokenSource(milliseconds);
        try
        {
            return "item " + await queue.GetAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }

    [PoolTask]
    public static async Task<int> PutCustomersAsync(SharedQueue<Customer> queue, int count)
    {
        for (int i = 0; i < count; i++) await queue.PutAsync(new Customer(i, $"customer {i}", new Address("Main St", "Springfield", null), ["vip"], Priority.High));
        return queue.Count;
    }

    [PoolTask]
    public static int CountOf(SharedQueue<string> queue) => queue.Count;

    [PoolTask]
    public static string TryPutWithin(SharedQueue<string> queue, string item, int milliseconds) =>
        queue.TryPut(item, TimeSpan.FromMilliseconds(milliseconds)) ? "added" : "full";

    [PoolTask]
    public static async Task<string> PutAsyncCancelled(SharedQueue<string> queue, string item, int milliseconds)
    {
        using var cancel = new CancellationTokenSource(milliseconds);
        try
        {
            await queue.PutAsync(item, cancel.Token);
            return "added";
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }

    [PoolTask]
    public static int WhoAmI() => Environment.ProcessId;

    [PoolTask]
    public static void SleepFor(int milliseconds) => Thread.Sleep(milliseconds);

    [PoolTask]
    public static void KillSelf() => Process.GetCurrentProcess().Kill();

    [PoolTask]
    public static void ExitWith(int code) => Environment.Exit(code);
}
