using System.Text.Json.Serialization;
using ProcPool;

namespace ProcPool.Codec.Bench;

public enum OrderSide { Buy, Sell }

/// <summary>The small record: an int, a double, a DateTime, a short string, an enum.</summary>
public sealed record Order(int Id, double Price, DateTime PlacedAt, string Symbol, OrderSide Side);

/// <summary>
/// Echo tasks: the generator emits the codecs the pool would use for these types, and each descriptor's
/// <c>WriteArguments</c>/<c>ReadResult</c> pair is exactly the encoder and decoder of its one type.
/// </summary>
public static class BenchTasks
{
    [PoolTask] public static double[] Doubles(double[] values) => values;
    [PoolTask] public static List<Order> Orders(List<Order> orders) => orders;
    [PoolTask] public static string Text(string text) => text;
}

/// <summary>System.Text.Json with its source generator, on the same objects.</summary>
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(List<Order>))]
[JsonSerializable(typeof(string))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>The same data for every benchmark: deterministic, and shaped like real data (prices in cents, times to the second).</summary>
internal static class BenchData
{
    public static double[] Doubles()
    {
        var random = new Random(1);
        var values = new double[1_000_000];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() * 1000;
        return values;
    }

    public static List<Order> Orders()
    {
        var random = new Random(2);
        var start = new DateTime(2025, 1, 1, 9, 30, 0, DateTimeKind.Utc);
        return [.. Enumerable.Range(0, 10_000).Select(i => new Order(
            i,
            Math.Round(10 + random.NextDouble() * 990, 2),
            start.AddSeconds(i * 7),
            $"SKU-{random.Next(10_000):D4}",
            (OrderSide)(i % 2)))];
    }

    /// <summary>1 MiB of characters: mostly ASCII text, with some accented letters and CJK as real text has.</summary>
    public static string Text()
    {
        const string words = "the quick brown fox jumps over the lazy dog, café naïve 東京 ";
        var text = new System.Text.StringBuilder(1 << 20);
        while (text.Length < 1 << 20) text.Append(words);
        return text.ToString(0, 1 << 20);
    }
}
