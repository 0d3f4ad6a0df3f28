namespace ProcPool.Tests;

/// <summary>Tasks declared in the test assembly itself: the "caller is a test host" case.</summary>
public static class TestTasks
{
    [PoolTask] public static int Add(int a, int b) => a + b;

    [PoolTask] public static int ProcessId() => Environment.ProcessId;

    [PoolTask] public static double Square(double x) => x * x;

    [PoolTask] public static string Reverse(string? text) => text is null ? "<null>" : new string(text.Reverse().ToArray());

    [PoolTask] public static int[] Doubled(int[] values) => values.Select(v => v * 2).ToArray();

    [PoolTask] public static byte[] Echo(byte[] data) => data;
    [PoolTask] public static int LengthOf(byte[] data) => data.Length;

    private static readonly byte[] s_reusedResult = new byte[100 * 1024];

    /// <summary>Returns the same array every time, refilled: a chunk's results must still each keep their own value.</summary>
    [PoolTask] public static byte[] RefilledBuffer(int value)
    {
        s_reusedResult.AsSpan().Fill((byte)value);
        return s_reusedResult;
    }

    /// <summary>The first run (no flag file yet) creates the flag and answers at once; any later run hangs.</summary>
    [PoolTask] public static byte[] FilledOnceThenHang(int length, byte value, string flag)
    {
        if (File.Exists(flag))
        {
            Thread.Sleep(TimeSpan.FromSeconds(60));
            return [];
        }
        File.WriteAllText(flag, "ran");
        return Filled(length, value);
    }

    [PoolTask] public static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    [PoolTask] public static void Nothing(int x) { }

    [PoolTask]
    public static int Fail(string message) => throw new InvalidOperationException(message);

    [PoolTask]
    public static int FailWithInner(string message)
    {
        try
        {
            throw new FormatException("inner: " + message);
        }
        catch (FormatException e)
        {
            var error = new ArgumentException("outer: " + message, e);
            error.Data["hint"] = "look at the inner one";
            throw error;
        }
    }

    [PoolTask]
    public static async Task<string> DelayedEchoAsync(string text, int milliseconds)
    {
        await Task.Delay(milliseconds);
        return text;
    }

    [PoolTask]
    public static async ValueTask<long> SumAsync(long[] values)
    {
        await Task.Yield();
        return values.Sum();
    }

    [PoolTask]
    public static Task CompletedAsync() => Task.CompletedTask;

    [PoolTask]
    public static async ValueTask FailLaterAsync(string message)
    {
        await Task.Delay(1);
        throw new NotSupportedException(message);
    }

    [PoolTask]
    public static int Talk(string line)
    {
        // Writes to the worker's stdout and stderr; the protocol runs on its own pipes, so this must not disturb it.
        Console.WriteLine(line);
        Console.Error.WriteLine("err: " + line);
        Console.Out.Write("\u0000\u0001garbage\u00ff");
        Console.Out.Flush();
        return line.Length;
    }

    [PoolTask]
    public static int WaitForCancel(int milliseconds, CancellationToken cancellationToken)
    {
        Task.Delay(milliseconds, cancellationToken).GetAwaiter().GetResult();
        return milliseconds;
    }

    [PoolTask]
    public static int SleepMs(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    [PoolTask]
    public static string Eight(byte a, short b, int c, long d, float e, double f, char g, string h) =>
        $"{a}|{b}|{c}|{d}|{e}|{f}|{g}|{h}";

    [PoolTask] public static int Zero() => 42;

    [PoolTask] public static int Identity(int x) => x;

    [PoolTask] public static int PidOf(int x) => Environment.ProcessId;

    [PoolTask] public static int FailAt37(int x) => x == 37 ? throw new ArgumentOutOfRangeException(nameof(x), x, "37 is not allowed") : x;

    [PoolTask]
    public static int SlowFirst(int x)
    {
        if (x == 0) Thread.Sleep(500);
        return x;
    }

    [PoolTask]
    public static int RandomSleep(int x)
    {
        Thread.Sleep(Random.Shared.Next(0, 15));
        return x;
    }

    [PoolTask] public static void Noop(int x) { }

    [PoolTask]
    public static async Task<int> DoubleAsync(int x)
    {
        await Task.Yield();
        return 2 * x;
    }

    [PoolTask]
    public static int Announce(int x)
    {
        Console.WriteLine($"announce {x}");
        return x;
    }

    /// <summary>Says on stdout that it started (tests wait for the line), then ignores cancellation.</summary>
    [PoolTask]
    public static int StubbornAnnounced(int milliseconds)
    {
        Console.WriteLine("stubborn started");
        Console.Out.Flush();
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    /// <summary>Ignores cancellation: only killing its worker stops it.</summary>
    [PoolTask]
    public static int Stubborn(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    /// <summary>About a millisecond of work: long enough that a soak under kills spans many kills.</summary>
    [PoolTask]
    public static long SoakStep(int i)
    {
        Thread.Sleep(1);
        return 3L * i + 1;
    }

    /// <summary>Not an initializer: passing it to PoolInitializer.Create must fail clearly.</summary>
    public static void NotAnInitializer(int x) { }

    /// <summary>Not a task: passing it to ApplyAsync must fail clearly.</summary>
    public static int NotATask(int x) => x;
}
