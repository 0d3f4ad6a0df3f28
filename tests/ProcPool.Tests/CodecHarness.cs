using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// Runs a one-parameter echo task's generated codecs in this process: <c>WriteArguments</c> writes exactly the
/// parameter's encoding and <c>ReadResult</c> reads exactly the result's, so for <c>T Echo(T)</c> they are the
/// encoder and decoder of <typeparamref name="T"/> that the pool uses.
/// </summary>
internal static class CodecHarness
{
    public static byte[] Encode<T>(PoolTask<ValueTuple<T>, T> task, T value, int maxDepth = PoolReader.DefaultMaxDepth)
    {
        var writer = new PoolWriter { MaxDepth = maxDepth };
        task.WriteArguments(writer, new ValueTuple<T>(value));
        Assert.Equal(0, writer.Depth);
        return writer.WrittenSpan.ToArray();
    }

    public static T Decode<T>(PoolTask<ValueTuple<T>, T> task, ReadOnlySpan<byte> bytes, int maxDepth = PoolReader.DefaultMaxDepth)
    {
        var reader = new PoolReader(bytes, maxDepth);
        var value = task.ReadResult(ref reader);
        reader.EnsureEnd("value");
        return value;
    }

    /// <summary>Runs <paramref name="action"/> on a thread with a small stack, so stack exhaustion comes quickly if a guard is missing.</summary>
    public static Exception? OnSmallStack(Action action)
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { caught = e; }
        }, maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();
        return caught;
    }
}
