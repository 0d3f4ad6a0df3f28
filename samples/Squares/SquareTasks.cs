using ProcPool;

namespace Squares;

public static class SquareTasks
{
    /// <summary>The reference's <c>myfunction(m)</c>.</summary>
    [PoolTask]
    public static int Square(int m) => m * m;

    /// <summary>The reference's <c>time.sleep</c>.</summary>
    [PoolTask]
    public static void Sleep(int seconds) => Thread.Sleep(TimeSpan.FromSeconds(seconds));

    [PoolTask]
    public static int SlowSquare(int m)
    {
        Thread.Sleep(5);
        return m * m;
    }
}
