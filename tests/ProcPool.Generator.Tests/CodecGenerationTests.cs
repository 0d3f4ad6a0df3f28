using ProcPool.Generator.Tests.Infrastructure;

namespace ProcPool.Generator.Tests;

/// <summary>Generated codecs: one file per transported type, checked against reviewed snapshots and compiled with zero warnings.</summary>
public class CodecGenerationTests
{
    private const string Models = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics.CodeAnalysis;
        using ProcPool;

        namespace Shop;

        public enum Side : byte { Buy, Sell }

        public sealed record Order(int Id, double Price, DateTime PlacedAt, string Symbol, Side Side);

        public enum Status { Open, Filled, Cancelled }
        public enum Venue : ulong { Main = 1UL << 40 }

        /// <summary>Integers and wide enums as members: varints.</summary>
        public sealed record Fill(long Sequence, uint Quantity, short Lot, ushort Desk, Status Status, Venue Venue);

        public record Line(string Sku, int Quantity)
        {
            public decimal? Discount { get; init; }
        }

        public class Basket
        {
            public Basket(Guid id) { Id = id; }
            public Guid Id { get; }
            public List<Line> Lines { get; set; } = new();
            public required Dictionary<string, Line[]> BySku { get; init; }
            public int Count => Lines.Count;
        }

        public struct Point { public double X; public double Y; }

        public readonly record struct Labeled(string Label, Point At);

        public sealed class Node
        {
            public int Value { get; set; }
            public Node? Next { get; set; }
            public List<Node> Children { get; set; } = new();
        }

        public sealed class Box<T> { public T? Content { get; set; } }

        public static class Outer { public sealed record Inner(int @class, string @event); }

        [PoolUnion(typeof(Circle), typeof(Square))]
        public abstract record Shape;
        public sealed record Circle(double Radius) : Shape;
        public sealed record Square(double Side) : Shape;

        [PoolUnion(typeof(Celsius), typeof(Kelvin))]
        public interface ITemperature { double Value { get; } }
        public readonly record struct Celsius(double Value) : ITemperature;
        public sealed record Kelvin(double Value, string? Note) : ITemperature;
        """;

    private const string Tasks = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.Numerics;
        using ProcPool;

        namespace Shop;

        public static class ShopTasks
        {
            [PoolTask] public static List<Order> Orders(List<Order> orders) => orders;
            [PoolTask] public static Status Fills(Fill[] fills, Status status, Dictionary<Status, long> totals) => status;
            [PoolTask] public static int Shared(SharedLock gate, SharedQueue<Order> orders, SharedQueue<int> counts) => 0;
            [PoolTask] public static Basket Basket(Basket basket) => basket;
            [PoolTask] public static Labeled[] Labels(Labeled[] labels, Point[] points) => labels;
            [PoolTask] public static Node Tree(Node root) => root;
            [PoolTask] public static Box<Order> Boxed(Box<int> a, Box<Order> b) => b;
            [PoolTask] public static Outer.Inner Keywords(Outer.Inner inner) => inner;
            [PoolTask] public static Shape Shapes(Shape shape, List<Shape> many) => shape;
            [PoolTask] public static ITemperature Temperature(ITemperature value) => value;
            [PoolTask] public static int[,] Grid(int[,] grid, string[,,] cube, int[][] jagged) => grid;
            [PoolTask] public static (int Id, string Name) Tuples((int Id, string Name) pair, Tuple<int, string> tuple, KeyValuePair<string, Order> entry) => pair;
            [PoolTask] public static object Open(object value, IComparable comparable) => value;
            [PoolTask]
            public static int Framework(
                Half h, Int128 i, UInt128 u, BigInteger big, DateTimeOffset offset, TimeSpan span, DateOnly date, TimeOnly time,
                Guid id, Uri? uri, Version? version, int? maybe, Side? side) => 0;
            [PoolTask]
            public static int Collections(
                HashSet<string> set, Queue<int> queue, Stack<Line> stack, SortedDictionary<string, int> sorted,
                ImmutableArray<int> immutableArray, ImmutableArray<string> names, ImmutableList<Order> immutableList,
                ImmutableDictionary<string, double> immutableDictionary, Memory<byte> memory, ReadOnlyMemory<double> readOnlyMemory,
                IEnumerable<int> sequence, IReadOnlyList<Order> readOnlyList, IList<string> list, ICollection<long> collection,
                IReadOnlyCollection<Line> readOnlyCollection, IReadOnlyDictionary<string, int> map, IDictionary<int, Order> dictionary,
                ISet<string> iset, IReadOnlySet<int> readOnlySet, List<int> unmanagedList, List<string?> strings) => 0;
        }
        """;

    [Fact]
    public void Every_type_class_gets_a_codec_that_compiles_without_warnings()
    {
        var (result, output) = TestCompiler.Run(TestCompiler.Compile("Shop", Models, Tasks));

        var generated = result.Results.Single().GeneratedSources;
        TestCompiler.AssertNoProblems(output);
        var codecs = generated.Where(s => s.HintName.StartsWith("Codecs/", StringComparison.Ordinal)).Select(s => s.HintName).Order().ToList();
        Assert.Equal(codecs.Count, codecs.Distinct().Count());
        foreach (var expected in new[] { "OrderCodec_", "LineCodec_", "BasketCodec_", "NodeCodec_", "BoxOfInt32Codec_", "BoxOfOrderCodec_", "InnerCodec_",
                                         "ShapeCodec_", "CircleCodec_", "ITemperatureCodec_", "KelvinCodec_", "LabeledCodec_", "Int32Array2DCodec_", "StringArray3DCodec_" })
            Assert.Contains(codecs, c => c.StartsWith("Codecs/" + expected, StringComparison.Ordinal));
        // Blitted, so no codec of their own: the unmanaged struct and the tuple of unmanaged values.
        Assert.DoesNotContain(codecs, c => c.StartsWith("Codecs/PointCodec_", StringComparison.Ordinal));
        Assert.DoesNotContain(codecs, c => c.StartsWith("Codecs/CelsiusCodec_", StringComparison.Ordinal));
    }

    [Fact]
    public void Codecs_of_each_kind_match_their_snapshots()
    {
        var (result, _) = TestCompiler.Run(TestCompiler.Compile("Shop", Models, Tasks));

        var generated = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        // A sealed record, a class with a constructor, init and required members, a recursive class, a record struct,
        // a value tuple, an abstract-record union, an interface union with a struct case, a multi-dimensional array, and
        // a record of integers and enums (varints).
        foreach (var prefix in new[] { "OrderCodec_", "FillCodec_", "BasketCodec_", "NodeCodec_", "LabeledCodec_", "ValueTupleOfInt32AndStringCodec_",
                                       "ShapeCodec_", "ITemperatureCodec_", "Int32Array2DCodec_" })
        {
            var (hint, text) = Assert.Single(generated, g => g.Key.StartsWith("Codecs/" + prefix, StringComparison.Ordinal));
            Snapshot.Verify(text, prefix.TrimEnd('_'));
        }
        Snapshot.Verify(generated["Shop.ShopTasks.Orders.PoolTask.g.cs"], "OrdersTask");
        Snapshot.Verify(generated["Shop.ShopTasks.Framework.PoolTask.g.cs"], "FrameworkTask");
        Snapshot.Verify(generated["Shop.ShopTasks.Fills.PoolTask.g.cs"], "FillsTask");
        // A lock and queues cross as their identity; each queue's item codec is registered by a module initializer.
        Snapshot.Verify(generated["Shop.ShopTasks.Shared.PoolTask.g.cs"], "SharedTask");
        var (_, registration) = Assert.Single(generated, g => g.Key.StartsWith("Codecs/SharedQueueOfOrderCodec_", StringComparison.Ordinal));
        Snapshot.Verify(registration, "SharedQueueOfOrderRegistration");
        Assert.Single(generated, g => g.Key.StartsWith("Codecs/SharedQueueOfInt32Codec_", StringComparison.Ordinal));
    }

    [Fact]
    public void Public_types_of_a_referenced_assembly_get_codecs_in_the_task_assembly()
    {
        var library = TestCompiler.Compile("Shop.Models", Models);
        var tasks = TestCompiler.Compile("Shop.Tasks", """
            using System.Collections.Generic;
            using ProcPool;
            using Shop;
            namespace Shop.Tasks;
            public static class RemoteTasks
            {
                [PoolTask] public static Basket Basket(Basket basket, List<Order> orders, Shape shape) => basket;
            }
            """).AddReferences(library.ToMetadataReference());

        var (result, output) = TestCompiler.Run(tasks);

        TestCompiler.AssertNoProblems(output);
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Contains(hints, h => h.StartsWith("Codecs/BasketCodec_", StringComparison.Ordinal));
        Assert.Contains(hints, h => h.StartsWith("Codecs/ShapeCodec_", StringComparison.Ordinal));
        Assert.Contains("namespace ProcPool.Generated.Shop_Tasks", result.Results.Single().GeneratedSources.First(s => s.HintName.StartsWith("Codecs/Order", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void A_task_whose_argument_cannot_cross_generates_nothing_and_breaks_nothing()
    {
        const string source = """
            using System.IO;
            using ProcPool;
            namespace App;
            public sealed class Job { public string Name { get; set; } = ""; public StreamWriter Log { get; set; } = null!; }
            public static class JobTasks { [PoolTask] public static int Run(Job job) => 0; }
            """;

        var (result, output) = TestCompiler.Run(TestCompiler.Compile("App", source));

        Assert.Empty(result.Results.Single().GeneratedSources);
        TestCompiler.AssertNoProblems(output);
    }
}
