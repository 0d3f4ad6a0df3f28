using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ProcPool.Runtime;
using ProcPool.Serialization;
using Descriptors = ProcPool.Generated.ProcPool_Codec_Bench;

namespace ProcPool.Codec.Bench;

/// <summary>
/// Serialize + deserialize, per case: ProcPool's generated codec, System.Text.Json (source-generated), and a plain
/// block copy of the same bytes (the floor: moving that much memory twice). Writers and buffers are reused, as the
/// pool reuses them, so what is measured is the encoding and decoding.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CodecBenchmarks
{
    private readonly PoolWriter _writer = new(16 << 20);
    private readonly ArrayBufferWriter<byte> _json = new(32 << 20);
    private Utf8JsonWriter _jsonWriter = null!;
    private readonly byte[] _copyBuffer = new byte[16 << 20];

    private double[] _doubles = null!;
    private List<Order> _orders = null!;
    private string _text = null!;
    private byte[] _encodedDoubles = null!;
    private byte[] _encodedOrders = null!;
    private byte[] _encodedText = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jsonWriter = new Utf8JsonWriter(_json);
        _doubles = BenchData.Doubles();
        _orders = BenchData.Orders();
        _text = BenchData.Text();
        _encodedDoubles = Encode(Descriptors.ProcPool_Codec_Bench_BenchTasks_Doubles_PoolTask.Instance, _doubles);
        _encodedOrders = Encode(Descriptors.ProcPool_Codec_Bench_BenchTasks_Orders_PoolTask.Instance, _orders);
        _encodedText = Encode(Descriptors.ProcPool_Codec_Bench_BenchTasks_Text_PoolTask.Instance, _text);
    }

    // (a) double[1_000_000]

    [Benchmark(Baseline = true), BenchmarkCategory("a double[1M]")]
    public double[] Doubles_BlockCopy()
    {
        var bytes = MemoryMarshal.AsBytes(_doubles.AsSpan());
        bytes.CopyTo(_copyBuffer);
        var copy = GC.AllocateUninitializedArray<double>(_doubles.Length);
        _copyBuffer.AsSpan(0, bytes.Length).CopyTo(MemoryMarshal.AsBytes(copy.AsSpan()));
        return copy;
    }

    [Benchmark, BenchmarkCategory("a double[1M]")]
    public double[] Doubles_ProcPool() => RoundTrip(Descriptors.ProcPool_Codec_Bench_BenchTasks_Doubles_PoolTask.Instance, _doubles);

    [Benchmark, BenchmarkCategory("a double[1M]")]
    public double[] Doubles_Json() => JsonRoundTrip(_doubles, BenchJsonContext.Default.DoubleArray);

    [Benchmark, BenchmarkCategory("a double[1M] decode only")]
    public double[] Doubles_ProcPool_DecodeOnly()
    {
        var reader = new PoolReader(_encodedDoubles);
        return Descriptors.ProcPool_Codec_Bench_BenchTasks_Doubles_PoolTask.Instance.ReadResult(ref reader);
    }

    // (b) List<Order> of 10,000 small records

    [Benchmark(Baseline = true), BenchmarkCategory("b List<Order>[10k]")]
    public byte[] Orders_BlockCopy() => CopyTwice(_encodedOrders);

    [Benchmark, BenchmarkCategory("b List<Order>[10k]")]
    public List<Order> Orders_ProcPool() => RoundTrip(Descriptors.ProcPool_Codec_Bench_BenchTasks_Orders_PoolTask.Instance, _orders);

    [Benchmark, BenchmarkCategory("b List<Order>[10k]")]
    public List<Order> Orders_Json() => JsonRoundTrip(_orders, BenchJsonContext.Default.ListOrder);

    // (c) a 1 MiB string

    [Benchmark(Baseline = true), BenchmarkCategory("c string[1M chars]")]
    public string Text_BlockCopy()
    {
        var bytes = MemoryMarshal.AsBytes(_text.AsSpan());
        bytes.CopyTo(_copyBuffer);
        return new string(MemoryMarshal.Cast<byte, char>(_copyBuffer.AsSpan(0, bytes.Length)));
    }

    [Benchmark, BenchmarkCategory("c string[1M chars]")]
    public string Text_ProcPool() => RoundTrip(Descriptors.ProcPool_Codec_Bench_BenchTasks_Text_PoolTask.Instance, _text);

    [Benchmark, BenchmarkCategory("c string[1M chars]")]
    public string Text_Json() => JsonRoundTrip(_text, BenchJsonContext.Default.String);

    private T RoundTrip<T>(PoolTask<ValueTuple<T>, T> task, T value)
    {
        _writer.Reset();
        task.WriteArguments(_writer, new ValueTuple<T>(value));
        var reader = new PoolReader(_writer.WrittenSpan);
        return task.ReadResult(ref reader);
    }

    private T JsonRoundTrip<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset();
        JsonSerializer.Serialize(_jsonWriter, value, typeInfo);
        return JsonSerializer.Deserialize(_json.WrittenSpan, typeInfo)!;
    }

    private byte[] CopyTwice(byte[] encoded)
    {
        encoded.CopyTo(_copyBuffer, 0);
        var copy = GC.AllocateUninitializedArray<byte>(encoded.Length);
        _copyBuffer.AsSpan(0, encoded.Length).CopyTo(copy);
        return copy;
    }

    internal static byte[] Encode<T>(PoolTask<ValueTuple<T>, T> task, T value)
    {
        var writer = new PoolWriter();
        task.WriteArguments(writer, new ValueTuple<T>(value));
        return writer.WrittenSpan.ToArray();
    }
}
