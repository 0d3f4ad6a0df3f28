using System.Collections.Immutable;
using System.Diagnostics;
using ProcPool.Runtime;
using ProcPool.TestTasks;
using Descriptors = ProcPool.Generated.ProcPool_Tests;

namespace ProcPool.Tests;

/// <summary>
/// Feeds the decoder of every covered type class truncated, mutated and random bytes. Decoding may succeed (the bytes
/// can happen to be valid) or fail, but only with PoolSerializationException, without hanging and without allocating
/// more than a small multiple of the input.
/// </summary>
public class CodecFuzzTests
{
    private const int MutationsPerSample = 400;
    private const int RandomInputs = 400;

    private sealed record FuzzCase(IReadOnlyList<byte[]> Samples, DecodeBytes Decode);

    private delegate void DecodeBytes(ReadOnlySpan<byte> bytes);

    private static FuzzCase Case<T>(PoolTask<ValueTuple<T>, T> task, params T[] samples) =>
        new([.. samples.Select(s => CodecHarness.Encode(task, s))], bytes => CodecHarness.Decode(task, bytes));

    private static readonly Dictionary<string, FuzzCase> Cases = new()
    {
        ["scalars"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoScalars_PoolTask.Instance,
            CodecRoundTripTests.MakeScalars("min"), CodecRoundTripTests.MakeScalars("max"), CodecRoundTripTests.MakeScalars("special")),
        ["string"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoString_PoolTask.Instance, null, "", "añ中𝄞", "\uD800x"),
        ["jagged array"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoJagged_PoolTask.Instance, [[1, 2], null!, []], null),
        ["2D array"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoGrid_PoolTask.Instance, new double[2, 3], new double[0, 4]),
        ["3D array of strings"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoCube_PoolTask.Instance, new string?[2, 2, 2] { { { "a", null }, { "", "b" } }, { { "c", "d" }, { null, "𝄞" } } }),
        ["unmanaged struct array"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoPoint3s_PoolTask.Instance, [new Point3 { X = 1 }, new Point3 { Z = -1 }]),
        ["struct array"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoSamples_PoolTask.Instance, [new Sample("s", new Point3 { Y = 2 }, [1, 2]), default]),
        ["list of records"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoCustomers_PoolTask.Instance, [CodecRoundTripTests.Customer(1), null, CodecRoundTripTests.Customer(2)]),
        ["list of unmanaged"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoPoint3List_PoolTask.Instance, [new Point3 { X = 3 }]),
        ["dictionary"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoDictionary_PoolTask.Instance, new Dictionary<string, List<int>> { ["a"] = [1], ["b"] = null! }),
        ["hash set"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoHashSet_PoolTask.Instance, ["x", "y"]),
        ["queue"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoQueue_PoolTask.Instance, new Queue<int>([1, 2, 3])),
        ["stack"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoStack_PoolTask.Instance, new Stack<string>(["a", "b"])),
        ["sorted dictionary"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoSorted_PoolTask.Instance, new SortedDictionary<int, string> { [2] = "b", [1] = "a" }),
        ["immutable array"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoImmutableInts_PoolTask.Instance, [1, 2, 3], default),
        ["immutable array of strings"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoImmutableStrings_PoolTask.Instance, ["a", "b"]),
        ["immutable list"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoImmutableList_PoolTask.Instance, ImmutableList.Create(new Address("s", "c", null))),
        ["immutable dictionary"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoImmutableDictionary_PoolTask.Instance, ImmutableDictionary<string, int>.Empty.Add("k", 1)),
        ["memory"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoMemory_PoolTask.Instance, new byte[] { 1, 2, 3 }.AsMemory()),
        ["read-only memory"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoReadOnlyMemory_PoolTask.Instance, new double[] { 1, 2 }.AsMemory()),
        ["sequence interface"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoSequence_PoolTask.Instance, [1, 2, 3]),
        ["read-only list interface"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoReadOnlyList_PoolTask.Instance, [new Address("a", "b", "c")]),
        ["list interface"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoList_PoolTask.Instance, ["a"]),
        ["dictionary interface"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoMap_PoolTask.Instance, new Dictionary<string, int> { ["k"] = 1 }),
        ["set interface"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoSet_PoolTask.Instance, new HashSet<int> { 1, 2 }),
        ["value tuple"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoTriple_PoolTask.Instance, (1, "a", 2.5)),
        ["long value tuple"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoNine_PoolTask.Instance, (1, 2, 3, 4, 5, 6, 7, 8, "9")),
        ["tuple"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoTuple_PoolTask.Instance, Tuple.Create(1, "a")),
        ["key value pair"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoPair_PoolTask.Instance, new KeyValuePair<string, Customer>("k", CodecRoundTripTests.Customer(3))),
        ["class with constructor and required members"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoAccount_PoolTask.Instance,
            new Account(Guid.NewGuid(), "o") { Balances = new() { ["a"] = 1m }, Holders = [CodecRoundTripTests.Customer(4)] }),
        ["generic class"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoCustomerPair_PoolTask.Instance, new Pair<Customer> { First = CodecRoundTripTests.Customer(5) }),
        ["union"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoShape_PoolTask.Instance, new Group([new Circle(1), new Rectangle(2, 3)])),
        ["recursive class"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoTree_PoolTask.Instance, CodecRoundTripTests.Chain(5)),
        ["validating constructor"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoPercentage_PoolTask.Instance, new Percentage(5)),
        ["enum-keyed dictionary"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoPermissionCounts_PoolTask.Instance,
            new Dictionary<Permissions, long> { [Permissions.Write] = long.MinValue, [Permissions.None] = -1 }),
        ["open type"] = Case(Descriptors.ProcPool_Tests_CodecTasks_EchoObject_PoolTask.Instance, 42, "s", new[] { 1.0 }, new[] { "a", null }, DateTime.UtcNow, null),
        ["internal record struct"] = Case(Descriptors.ProcPool_Tests_LocalCodecTasks_EchoLocal_PoolTask.Instance, new LocalPoint(1, 2, "p")),
    };

    private static readonly byte[][] VarIntBombs =
    [
        [0xFE, 0xFF, 0xFF, 0xFF, 0x0F],                                  // uint.MaxValue - 1: int.MaxValue zig-zagged
        [0xFD, 0xFF, 0xFF, 0xFF, 0x0F],                                  // int.MinValue + 1 zig-zagged (a huge negative header)
        [0xFF, 0xFF, 0xFF, 0xFF, 0x1F],                                  // past 32 bits in the fifth byte
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],                            // six bytes
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],    // ulong.MaxValue
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],    // past 64 bits
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // eleven bytes
        [0x80, 0x00],                                                    // zero in a redundant form
        [0x80],                                                          // cut off
    ];

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decoding_hostile_bytes_fails_only_with_PoolSerializationException(string name)
    {
        var fuzz = Cases[name];
        var random = new Random(name.Length * 7919 + name[0]);
        var clock = Stopwatch.StartNew();

        foreach (var sample in fuzz.Samples)
        {
            fuzz.Decode(sample); // the valid encoding decodes
            for (int length = 0; length < sample.Length; length++) Check(fuzz, sample.AsSpan(0, length).ToArray(), $"{name}, first {length} bytes");
            for (int at = 0; at + 4 <= sample.Length; at++)
                foreach (int bomb in new[] { int.MaxValue, Array.MaxLength, int.MinValue, -2, sample.Length })
                {
                    var bombed = (byte[])sample.Clone();
                    BitConverter.TryWriteBytes(bombed.AsSpan(at), bomb);
                    Check(fuzz, bombed, $"{name}, {bomb} at offset {at}");
                }
            // Varints: the longest legal ones, ones a byte too long, ones whose last byte overflows, and redundant forms.
            for (int at = 0; at < sample.Length; at++)
                foreach (var bomb in VarIntBombs)
                {
                    var bombed = new byte[Math.Max(sample.Length, at + bomb.Length)];
                    sample.CopyTo(bombed, 0);
                    bomb.CopyTo(bombed, at);
                    Check(fuzz, bombed, $"{name}, varint {Convert.ToHexString(bomb)} at offset {at}");
                }
            for (int i = 0; i < MutationsPerSample && sample.Length > 0; i++)
            {
                var mutated = (byte[])sample.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                Check(fuzz, mutated, $"{name}, mutation {i}");
            }
        }
        for (int i = 0; i < RandomInputs; i++)
        {
            var noise = new byte[random.Next(0, 96)];
            random.NextBytes(noise);
            Check(fuzz, noise, $"{name}, random input {i}");
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"Fuzzing {name} took {clock.Elapsed}.");
    }

    private static void Check(FuzzCase fuzz, byte[] input, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            fuzz.Decode(input);
        }
        catch (PoolSerializationException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of PoolSerializationException: {e.Message}\n{Convert.ToHexString(input)}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * input.Length + 256 * 1024, $"{what}: decoding {input.Length} bytes allocated {allocated:N0} bytes.\n{Convert.ToHexString(input)}");
    }
}
