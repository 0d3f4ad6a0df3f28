using System.Collections.Immutable;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>An internal type of the test assembly itself.</summary>
internal readonly record struct LocalPoint(int X, int Y, string? Label);

/// <summary>Internal tasks live in a class of their own: a class's public and internal tasks would give its generated extensions class two accessibilities.</summary>
internal static class LocalCodecTasks
{
    [PoolTask] internal static LocalPoint EchoLocal(LocalPoint value) => value with { Label = value.Label + "@" + Environment.ProcessId };
}

/// <summary>
/// One echo task per type class: the argument is encoded here, decoded in a worker, encoded there as the result and
/// decoded here again. The in-process tests use the same tasks' generated codecs directly.
/// </summary>
public static class CodecTasks
{
    [PoolTask] public static Scalars EchoScalars(Scalars value) => value;
    [PoolTask] public static string? EchoString(string? value) => value;
    [PoolTask] public static int[][]? EchoJagged(int[][]? value) => value;
    [PoolTask] public static double[,]? EchoGrid(double[,]? value) => value;
    [PoolTask] public static string?[,,]? EchoCube(string?[,,]? value) => value;
    [PoolTask] public static Point3[]? EchoPoint3s(Point3[]? value) => value;
    [PoolTask] public static Sample[]? EchoSamples(Sample[]? value) => value;
    [PoolTask] public static List<Customer?>? EchoCustomers(List<Customer?>? value) => value;
    [PoolTask] public static List<Point3>? EchoPoint3List(List<Point3>? value) => value;
    [PoolTask] public static Dictionary<string, List<int>>? EchoDictionary(Dictionary<string, List<int>>? value) => value;
    [PoolTask] public static HashSet<string>? EchoHashSet(HashSet<string>? value) => value;
    [PoolTask] public static Queue<int>? EchoQueue(Queue<int>? value) => value;
    [PoolTask] public static Stack<string>? EchoStack(Stack<string>? value) => value;
    [PoolTask] public static SortedDictionary<int, string>? EchoSorted(SortedDictionary<int, string>? value) => value;
    [PoolTask] public static ImmutableArray<int> EchoImmutableInts(ImmutableArray<int> value) => value;
    [PoolTask] public static ImmutableArray<string> EchoImmutableStrings(ImmutableArray<string> value) => value;
    [PoolTask] public static ImmutableList<Address>? EchoImmutableList(ImmutableList<Address>? value) => value;
    [PoolTask] public static ImmutableDictionary<string, int>? EchoImmutableDictionary(ImmutableDictionary<string, int>? value) => value;
    [PoolTask] public static Memory<byte> EchoMemory(Memory<byte> value) => value;
    [PoolTask] public static ReadOnlyMemory<double> EchoReadOnlyMemory(ReadOnlyMemory<double> value) => value;
    [PoolTask] public static IEnumerable<int>? EchoSequence(IEnumerable<int>? value) => value;
    [PoolTask] public static IReadOnlyList<Address>? EchoReadOnlyList(IReadOnlyList<Address>? value) => value;
    [PoolTask] public static IList<string>? EchoList(IList<string>? value) => value;
    [PoolTask] public static IReadOnlyDictionary<string, int>? EchoMap(IReadOnlyDictionary<string, int>? value) => value;
    [PoolTask] public static ISet<int>? EchoSet(ISet<int>? value) => value;
    [PoolTask] public static (int, string?, double) EchoTriple((int, string?, double) value) => value;
    [PoolTask] public static (int, int, int, int, int, int, int, int, string) EchoNine((int, int, int, int, int, int, int, int, string) value) => value;
    [PoolTask] public static Tuple<int, string>? EchoTuple(Tuple<int, string>? value) => value;
    [PoolTask] public static KeyValuePair<string, Customer> EchoPair(KeyValuePair<string, Customer> value) => value;
    [PoolTask] public static Account? EchoAccount(Account? value) => value;
    [PoolTask] public static Ticket? EchoTicket(Ticket? value) => value;
    [PoolTask] public static Catalog.Item? EchoItem(Catalog.Item? value) => value;
    [PoolTask] public static Pair<Customer>? EchoCustomerPair(Pair<Customer>? value) => value;
    [PoolTask] public static Pair<int>? EchoIntPair(Pair<int>? value) => value;
    [PoolTask] public static Shape? EchoShape(Shape? value) => value;
    [PoolTask] public static TreeNode? EchoTree(TreeNode? value) => value;
    [PoolTask] public static Animal? EchoAnimal(Animal? value) => value;
    [PoolTask] public static Percentage? EchoPercentage(Percentage? value) => value;
    // Open types on purpose: the analyzer's PP0006 warning is the point of these two.
#pragma warning disable PP0006
    [PoolTask] public static object? EchoObject(object? value) => value;
    [PoolTask] public static Dictionary<Permissions, long>? EchoPermissionCounts(Dictionary<Permissions, long>? value) => value;
#pragma warning restore PP0006

    /// <summary>Counts the levels the worker received, so a deep graph is known to have been rebuilt there.</summary>
    [PoolTask]
    public static int Depth(TreeNode? node)
    {
        int depth = 0;
        for (var current = node; current is not null; current = current.Next) depth++;
        return depth;
    }

    /// <summary>Fails with several inner exceptions and Data entries of which only the strings can travel.</summary>
    [PoolTask]
    public static int FailWithAggregate(string message)
    {
        var error = new AggregateException(message, new InvalidOperationException("first"), new FormatException("second", new TimeoutException("deepest")));
        error.Data["text"] = "kept";
        error.Data["number"] = 5;
        throw error;
    }

    /// <summary>What the worker sees of an open value: its runtime type.</summary>
#pragma warning disable PP0006
    [PoolTask] public static string TypeOf(object? value) => value?.GetType().Name ?? "null";
#pragma warning restore PP0006
}
