using System.Text.Json;
using BenchmarkDotNet.Running;
using ProcPool.Codec.Bench;
using Descriptors = ProcPool.Generated.ProcPool_Codec_Bench;

// Sizes first (BenchmarkDotNet measures time and allocations, not payload size), then the benchmarks.
var doubles = BenchData.Doubles();
var orders = BenchData.Orders();
var text = BenchData.Text();
Console.WriteLine("| case | ProcPool bytes | System.Text.Json bytes | JSON / ProcPool |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
Row("a double[1_000_000]", CodecBenchmarks.Encode(Descriptors.ProcPool_Codec_Bench_BenchTasks_Doubles_PoolTask.Instance, doubles).Length,
    JsonSerializer.SerializeToUtf8Bytes(doubles, BenchJsonContext.Default.DoubleArray).Length);
Row("b List<Order> (10,000)", CodecBenchmarks.Encode(Descriptors.ProcPool_Codec_Bench_BenchTasks_Orders_PoolTask.Instance, orders).Length,
    JsonSerializer.SerializeToUtf8Bytes(orders, BenchJsonContext.Default.ListOrder).Length);
Row("c string (1 MiB chars)", CodecBenchmarks.Encode(Descriptors.ProcPool_Codec_Bench_BenchTasks_Text_PoolTask.Instance, text).Length,
    JsonSerializer.SerializeToUtf8Bytes(text, BenchJsonContext.Default.String).Length);
Console.WriteLine();

BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);

static void Row(string name, int procPool, int json) =>
    Console.WriteLine($"| {name} | {procPool:N0} | {json:N0} | {(double)json / procPool:F2}x |");
