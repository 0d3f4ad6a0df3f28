using System.Collections.Immutable;
using System.Numerics;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>
/// Every type class crosses to a real worker and back (encoded here, decoded there, encoded there, decoded here) and
/// arrives equal, edge values included. Types from another assembly and internal types of the caller's own assembly.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class CodecRoundTripTests(PoolFixture fixture)
{
    private WorkerPool Pool => fixture.Pool;

    public static TheoryData<string> ScalarCases => ["min", "max", "special"];

    internal static Scalars MakeScalars(string which) => which switch
    {
        "min" => new Scalars(false, char.MinValue, sbyte.MinValue, byte.MinValue, short.MinValue, ushort.MinValue, int.MinValue, uint.MinValue,
            long.MinValue, ulong.MinValue, float.MinValue, double.MinValue, decimal.MinValue, Half.MinValue, Int128.MinValue, UInt128.MinValue,
            -BigInteger.Pow(2, 200), DateTime.MinValue, DateTimeOffset.MinValue, TimeSpan.MinValue, DateOnly.MinValue, TimeOnly.MinValue,
            Guid.Empty, null, null, Priority.Low, Permissions.None, null, null),
        "max" => new Scalars(true, char.MaxValue, sbyte.MaxValue, byte.MaxValue, short.MaxValue, ushort.MaxValue, int.MaxValue, uint.MaxValue,
            long.MaxValue, ulong.MaxValue, float.MaxValue, double.MaxValue, decimal.MaxValue, Half.MaxValue, Int128.MaxValue, UInt128.MaxValue,
            BigInteger.Pow(3, 300), DateTime.MaxValue, DateTimeOffset.MaxValue, TimeSpan.MaxValue, DateOnly.MaxValue, TimeOnly.MaxValue,
            Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), new Uri("https://example.com/a%20b?q=1#f"), new Version(1, 2, 3, 4),
            Priority.High, Permissions.Read | Permissions.Write, int.MaxValue, DateTime.MaxValue),
        _ => new Scalars(true, '\uD834', -1, 128, -1, 1, -1, 1, -1, 1,
            BitConverter.Int32BitsToSingle(0x7FC0_0123), -0.0, -0.00m, Half.NaN, -1, 1,
            BigInteger.Zero, new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Local).AddTicks(1), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(-14)),
            TimeSpan.FromTicks(-1), new DateOnly(2000, 2, 29), new TimeOnly(23, 59, 59, 999), Guid.NewGuid(), new Uri("relative/path?x=ä", UriKind.Relative),
            new Version(2, 0), (Priority)7, (Permissions)(1L << 50), 0, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc)),
    };

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public async Task Scalars_keep_their_exact_values(string which)
    {
        var sent = MakeScalars(which);

        var back = await Pool.EchoScalarsAsync(sent);

        Assert.Equal(sent, back);
        // Equality hides what matters on the wire: NaN payloads, -0.0, decimal scale, DateTime kind, offsets.
        Assert.Equal(BitConverter.SingleToInt32Bits(sent.Single), BitConverter.SingleToInt32Bits(back.Single));
        Assert.Equal(BitConverter.DoubleToInt64Bits(sent.Double), BitConverter.DoubleToInt64Bits(back.Double));
        Assert.Equal(BitConverter.HalfToInt16Bits(sent.Half), BitConverter.HalfToInt16Bits(back.Half));
        Assert.Equal(sent.Decimal.ToString(System.Globalization.CultureInfo.InvariantCulture), back.Decimal.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(sent.DateTime.Kind, back.DateTime.Kind);
        Assert.Equal(sent.MaybeDate?.Kind, back.MaybeDate?.Kind);
        Assert.Equal(sent.DateTimeOffset.Offset, back.DateTimeOffset.Offset);
        Assert.Equal(sent.Uri?.IsAbsoluteUri, back.Uri?.IsAbsoluteUri);
    }

    [Fact]
    public async Task Strings_arrive_exactly_including_null_empty_surrogates_and_a_megabyte()
    {
        string large = string.Concat(Enumerable.Repeat("añ中𝄞🎉 ", 1024 * 1024 / 8));
        foreach (var text in new[] { null, "", "a", "𝄞🎉", "\uD800 lone high", "lone low \uDC00", "\0nul\0", large })
            Assert.Equal(text, await Pool.EchoStringAsync(text));
    }

    [Fact]
    public async Task Arrays_jagged_and_multidimensional_keep_shape_and_values()
    {
        int[][] jagged = [[1, 2], [], null!, [int.MinValue]];
        Assert.Equal(jagged, await Pool.EchoJaggedAsync(jagged));
        Assert.Null(await Pool.EchoJaggedAsync(null));
        Assert.Empty((await Pool.EchoJaggedAsync([]))!);

        var grid = new double[3, 4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) grid[i, j] = i * 10 + j + 0.5;
        grid[2, 3] = double.NaN;
        Assert.Equal(grid, await Pool.EchoGridAsync(grid));
        Assert.Equal(new double[0, 5], await Pool.EchoGridAsync(new double[0, 5]));
        Assert.Null(await Pool.EchoGridAsync(null));

        var cube = new string?[2, 1, 3];
        cube[0, 0, 0] = "a";
        cube[1, 0, 2] = "𝄞";
        Assert.Equal(cube, await Pool.EchoCubeAsync(cube));

        var vectors = Enumerable.Range(0, 1000).Select(i => new Point3 { X = i, Y = -i, Z = i * 0.5 }).ToArray();
        Assert.Equal(vectors, await Pool.EchoPoint3sAsync(vectors));
        Sample[] samples = [new("a", new Point3 { X = 1 }, [1, 2, 3]), new("", default, null), default];
        var back = await Pool.EchoSamplesAsync(samples);
        Assert.Equal(samples.Length, back!.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal(samples[i].Label, back[i].Label);
            Assert.Equal(samples[i].Position, back[i].Position);
            Assert.Equal(samples[i].Counts, back[i].Counts);
        }
    }

    [Fact]
    public async Task Generic_collections_keep_their_elements_and_order()
    {
        List<Customer?> customers = [Customer(1), null, Customer(2) with { Address = null, Tags = null }];
        Assert.Equivalent(customers, await Pool.EchoCustomersAsync(customers), strict: true);
        Assert.Null(await Pool.EchoCustomersAsync(null));
        Assert.Empty((await Pool.EchoCustomersAsync([]))!);

        List<Point3> vectorList = [new Point3 { X = 1, Y = 2, Z = 3 }, default];
        Assert.Equal(vectorList, await Pool.EchoPoint3ListAsync(vectorList));

        var dictionary = new Dictionary<string, List<int>> { ["a"] = [1, 2], ["b"] = [], [""] = null! };
        Assert.Equal(dictionary, await Pool.EchoDictionaryAsync(dictionary));

        var set = new HashSet<string> { "x", "y", "" };
        Assert.Equal(set, await Pool.EchoHashSetAsync(set));

        var queue = new Queue<int>([3, 1, 2]);
        Assert.Equal(queue.ToArray(), (await Pool.EchoQueueAsync(queue))!.ToArray());

        var stack = new Stack<string>(["bottom", "middle", "top"]);
        var stackBack = await Pool.EchoStackAsync(stack);
        Assert.Equal("top", stackBack!.Peek());
        Assert.Equal(stack.ToArray(), stackBack.ToArray());

        var sorted = new SortedDictionary<int, string> { [3] = "c", [1] = "a", [2] = "b" };
        Assert.Equal(sorted, await Pool.EchoSortedAsync(sorted));
    }

    [Fact]
    public async Task Immutable_collections_and_memory_arrive_equal()
    {
        Assert.Equal(new[] { 1, 2, 3 }, (await Pool.EchoImmutableIntsAsync([1, 2, 3])).ToArray());
        Assert.True((await Pool.EchoImmutableIntsAsync(default)).IsDefault);
        Assert.True((await Pool.EchoImmutableIntsAsync(ImmutableArray<int>.Empty)).IsEmpty);
        Assert.Equal(new[] { "a", null, "c" }, (await Pool.EchoImmutableStringsAsync(["a", null!, "c"])).ToArray());
        var addresses = ImmutableList.Create(new Address("1 Main St", "Springfield", null), new Address("", "", "0"));
        Assert.Equal(addresses, await Pool.EchoImmutableListAsync(addresses));
        var map = ImmutableDictionary.CreateRange([new KeyValuePair<string, int>("one", 1), new("two", 2)]);
        Assert.Equal(map.OrderBy(p => p.Key), (await Pool.EchoImmutableDictionaryAsync(map))!.OrderBy(p => p.Key));

        var bytes = new byte[100_000];
        new Random(3).NextBytes(bytes);
        Assert.Equal(bytes.AsSpan(10, 50_000).ToArray(), (await Pool.EchoMemoryAsync(bytes.AsMemory(10, 50_000))).ToArray());
        Assert.Equal(0, (await Pool.EchoMemoryAsync(Memory<byte>.Empty)).Length);
        double[] doubles = [double.NaN, -0.0, double.Epsilon];
        Assert.Equal(doubles, (await Pool.EchoReadOnlyMemoryAsync(doubles)).ToArray());
    }

    [Fact]
    public async Task Interface_parameters_are_materialized_on_the_other_side()
    {
        // A lazy sequence is enumerated once and arrives as a list.
        var sequence = await Pool.EchoSequenceAsync(Enumerable.Range(1, 5).Select(i => i * i));
        Assert.IsType<List<int>>(sequence);
        Assert.Equal([1, 4, 9, 16, 25], sequence);
        Assert.Null(await Pool.EchoSequenceAsync(null));

        IReadOnlyList<Address> addresses = [new("a", "b", "c")];
        Assert.Equal(addresses, await Pool.EchoReadOnlyListAsync(addresses));
        Assert.Equal(["x", "y"], await Pool.EchoListAsync(new[] { "x", "y" }));
        var map = await Pool.EchoMapAsync(new Dictionary<string, int> { ["k"] = 1 });
        Assert.Equal(1, map!["k"]);
        var set = await Pool.EchoSetAsync(new SortedSet<int> { 5, 1, 3 });
        Assert.IsType<HashSet<int>>(set);
        Assert.Equal([1, 3, 5], set!.Order());
    }

    [Fact]
    public async Task Tuples_and_pairs_of_any_arity_arrive_equal()
    {
        Assert.Equal((1, (string?)null, double.NaN), await Pool.EchoTripleAsync((1, null, double.NaN)));
        var nine = (1, 2, 3, 4, 5, 6, 7, 8, "nine");
        Assert.Equal(nine, await Pool.EchoNineAsync(nine));
        Assert.Equal(Tuple.Create(7, "seven"), await Pool.EchoTupleAsync(Tuple.Create(7, "seven")));
        Assert.Null(await Pool.EchoTupleAsync(null));
        var pair = await Pool.EchoPairAsync(new KeyValuePair<string, Customer>("k", Customer(9)));
        Assert.Equal("k", pair.Key);
        Assert.Equivalent(Customer(9), pair.Value, strict: true);
    }

    [Fact]
    public async Task User_types_with_constructors_init_and_required_members_are_rebuilt()
    {
        var account = new Account(Guid.NewGuid(), "ada")
        {
            Balances = new() { ["EUR"] = 10.5m, ["USD"] = -3m },
            Holders = [Customer(1)],
        };

        var back = await Pool.EchoAccountAsync(account);

        Assert.Equal(account.Id, back!.Id);
        Assert.Equal("ada", back.Owner);
        Assert.Equal(account.Balances, back.Balances);
        Assert.Equal(7.5m, back.Total);
        Assert.Equivalent(account.Holders, back.Holders, strict: true);

        var ticket = await Pool.EchoTicketAsync(new Ticket("T-1", 3) { Note = "aisle" });
        Assert.Equal(("T-1", 3, "aisle"), (ticket!.Code, ticket.Seats, ticket.Note));
        var item = await Pool.EchoItemAsync(new Catalog.Item("child", new Catalog.Item("parent", null)));
        Assert.Equal(new Catalog.Item("child", new Catalog.Item("parent", null)), item);

        var customers = new Pair<Customer> { First = Customer(1), Second = null };
        Assert.Equivalent(customers, await Pool.EchoCustomerPairAsync(customers), strict: true);
        var ints = await Pool.EchoIntPairAsync(new Pair<int> { First = -1, Second = 2 });
        Assert.Equal((-1, 2), (ints!.First, ints.Second));
    }

    [Fact]
    public async Task Internal_types_cross_from_the_assembly_that_declares_them()
    {
        var point = await Pool.EchoLocalAsync(new LocalPoint(3, -4, "p"));
        Assert.Equal((3, -4), (point.X, point.Y));
        Assert.StartsWith("p@", point.Label);
        Assert.NotEqual($"p@{Environment.ProcessId}", point.Label);

        string promoted = await InternalCodecTasks.PromoteThroughPoolAsync(Pool, "s");
        Assert.Matches(@"^s@\d+\|2\|child$", promoted);
    }

    [Fact]
    public async Task Unions_arrive_as_the_case_they_hold()
    {
        Shape shape = new Group([new Circle(1.5), new Rectangle(2, 3), new Group([]), new Circle(double.PositiveInfinity)]);

        var back = await Pool.EchoShapeAsync(shape);

        var group = Assert.IsType<Group>(back);
        Assert.Equal(new Circle(1.5), group.Members[0]);
        Assert.Equal(new Rectangle(2, 3), group.Members[1]);
        Assert.Empty(Assert.IsType<Group>(group.Members[2]).Members);
        Assert.Equal(new Circle(double.PositiveInfinity), group.Members[3]);
        Assert.Null(await Pool.EchoShapeAsync(null));
    }

    [Fact]
    public async Task Deep_graphs_cross_up_to_the_limit_and_fail_clearly_beyond_it()
    {
        Assert.Equal(200, await Pool.DepthAsync(Chain(200)));

        var error = await Assert.ThrowsAsync<PoolSerializationException>(async () => await Pool.DepthAsync(Chain(300)));

        Assert.Contains("deeper than 256 levels", error.Message);
        Assert.Contains("TreeNode.Next.Next", error.Message);
        Assert.Equal(3, await Pool.DepthAsync(Chain(3)));
    }

    [Fact]
    public async Task A_reference_cycle_fails_the_call_with_the_path_and_the_pool_stays_usable()
    {
        var first = new TreeNode { Value = 1 };
        var second = new TreeNode { Value = 2, Next = first };
        first.Children.Add(second);

        var error = await Assert.ThrowsAsync<PoolSerializationException>(async () => await Pool.EchoTreeAsync(first));

        Assert.Contains("reference cycle", error.Message);
        Assert.Contains("TreeNode.Children[0].Next", error.Message);
        Assert.Equal(42, await Pool.AddAsync(40, 2));
        Assert.Equal(2, (await Pool.EchoTreeAsync(new TreeNode { Next = new TreeNode() }))!.Next is null ? 1 : 2);
    }

    [Fact]
    public async Task A_subclass_where_a_concrete_class_is_declared_is_refused_not_sliced()
    {
        Assert.Equal("rex", (await Pool.EchoAnimalAsync(new Animal { Name = "rex" }))!.Name);

        var error = await Assert.ThrowsAsync<PoolSerializationException>(async () => await Pool.EchoAnimalAsync(new Dog { Name = "rex", Good = true }));

        Assert.Contains("A Dog was passed where Animal is declared", error.Message);
    }

    [Fact]
    public async Task Open_parameters_carry_primitives_strings_and_their_arrays_and_refuse_the_rest()
    {
        Assert.Equal("Int32", await Pool.TypeOfAsync(42));
        Assert.Equal("String", await Pool.TypeOfAsync("text"));
        Assert.Equal("Double[]", await Pool.TypeOfAsync(new[] { 1.0, 2.0 }));
        Assert.Equal("DateTime", await Pool.TypeOfAsync(DateTime.UtcNow));
        Assert.Equal("null", await Pool.TypeOfAsync(null));
        Assert.Equal(new[] { "a", null }, await Pool.EchoObjectAsync(new[] { "a", null }));

        var error = await Assert.ThrowsAsync<PoolSerializationException>(async () => await Pool.TypeOfAsync(Customer(1)));

        Assert.Contains("A Customer cannot cross as a value declared object", error.Message);
        Assert.Contains("[PoolUnion", error.Message);
    }

    [Fact]
    public async Task An_exception_travels_as_data_with_its_inner_exceptions_and_string_data()
    {
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await Pool.FailWithAggregateAsync("many"));

        Assert.Equal("System.AggregateException", error.RemoteType);
        Assert.StartsWith("many", error.RemoteMessage);
        Assert.Contains(nameof(CodecTasks.FailWithAggregate), error.RemoteStackTrace);
        Assert.Equal("kept", error.Data["text"]);
        Assert.False(error.Data.Contains("number"));
        Assert.Equal(["System.InvalidOperationException", "System.FormatException"], error.InnerExceptions.Select(e => e.RemoteType));
        Assert.Equal("deepest", Assert.Single(error.InnerExceptions[1].InnerExceptions).RemoteMessage);
    }

    internal static Customer Customer(int id) =>
        new(id, $"customer {id}", new Address($"{id} Main St", "Springfield", id % 2 == 0 ? null : "12345"), ["a", "b"], Priority.High)
        {
            Since = new DateTime(2020, 1, id, 0, 0, 0, DateTimeKind.Utc),
            Credit = id % 2 == 0 ? null : id * 1.25m,
        };

    internal static TreeNode Chain(int length)
    {
        TreeNode? head = null;
        for (int i = length; i > 0; i--) head = new TreeNode { Value = i, Next = head };
        return head!;
    }
}
