using ProcPool;

namespace Pi;

public static class PiTasks
{
    /// <summary>
    /// The Leibniz series from term <paramref name="m"/> to term <paramref name="n"/>, times four: the reference's
    /// <c>myPi(m, n)</c>. Summing it over 1..N in two halves on two workers gives π.
    /// </summary>
    [PoolTask]
    public static double PartialPi(long m, long n)
    {
        double pi = 0;
        for (long k = m; k <= n; k++)
        {
            double sign = k % 2 == 1 ? 1.0 : -1.0;
            pi += sign / (2 * k - 1);
        }
        return pi * 4;
    }
}
