using ProcPool.Serialization;
using ProcPool.TestTasks;
using Descriptors = ProcPool.Generated.ProcPool_Tests;

namespace ProcPool.Tests;

/// <summary>
/// Depth limits, reference cycles, stack exhaustion and hostile lengths, on the generated codecs in this process:
/// each ends in a PoolSerializationException that names the type and the path, never in a crash.
/// </summary>
public class CodecSafetyTests
{
    private static Descriptors.ProcPool_Tests_CodecTasks_EchoTree_PoolTask Tree => Descriptors.ProcPool_Tests_CodecTasks_EchoTree_PoolTask.Instance;

    [Fact]
    public void The_writer_accepts_the_default_depth_and_names_the_path_beyond_it()
    {
        Assert.Equal(256, CodecHarness.Decode(Tree, CodecHarness.Encode(Tree, CodecRoundTripTests.Chain(256)))!.Value is 1 ? 256 : 0);

        var error = Assert.Throws<PoolSerializationException>(() => CodecHarness.Encode(Tree, CodecRoundTripTests.Chain(257)));

        Assert.StartsWith("The data nests deeper than 256 levels at TreeNode.Next.Next.Next", error.Message);
        Assert.Contains("more)…", error.Message);
        Assert.EndsWith(".Next.Next.Next.Next.Next.Next (a TreeNode); raise PoolOptions.MaxDepth (PoolWriter.MaxDepth) or flatten the data.", error.Message);
        Assert.Contains("(a TreeNode)", error.Message);
    }

    [Fact]
    public void Both_sides_take_a_configurable_limit()
    {
        Assert.NotNull(CodecHarness.Encode(Tree, CodecRoundTripTests.Chain(10), maxDepth: 10));
        Assert.Throws<PoolSerializationException>(() => CodecHarness.Encode(Tree, CodecRoundTripTests.Chain(11), maxDepth: 10));

        byte[] deep = CodecHarness.Encode(Tree, CodecRoundTripTests.Chain(300), maxDepth: 1000);
        var error = Assert.Throws<PoolSerializationException>(() => CodecHarness.Decode(Tree, deep));
        Assert.Contains("deeper than 256 levels at a TreeNode", error.Message);
        Assert.Equal(1, CodecHarness.Decode(Tree, deep, maxDepth: 300)!.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolWriter { MaxDepth = 0 });
    }

    [Fact]
    public void A_cycle_through_a_member_is_reported_with_both_paths()
    {
        var first = new TreeNode { Value = 1 };
        first.Next = new TreeNode { Value = 2, Next = first };

        var error = Assert.Throws<PoolSerializationException>(() => CodecHarness.Encode(Tree, first));

        Assert.Equal(
            "A reference cycle: the TreeNode at TreeNode.Next.Next is the same object as at TreeNode. ProcPool sends values, not references, " +
            "so an object graph that contains itself cannot cross; break the cycle before sending (for example, send an id instead of a back-reference).",
            error.Message);
    }

    [Fact]
    public void A_cycle_through_collections_and_union_cases_names_the_elements()
    {
        var node = new TreeNode();
        node.Children.Add(new TreeNode());
        node.Children.Add(node);
        Assert.Contains("at TreeNode.Children[1] is the same object as at TreeNode.", Assert.Throws<PoolSerializationException>(() => CodecHarness.Encode(Tree, node)).Message);

        var group = new Group([new Circle(1)]);
        group.Members.Add(group);
        var shapes = Descriptors.ProcPool_Tests_CodecTasks_EchoShape_PoolTask.Instance;
        Assert.Contains("the Group at Group.Members[1] is the same object as at Group.", Assert.Throws<PoolSerializationException>(() => CodecHarness.Encode(shapes, group)).Message);
    }

    [Fact]
    public void A_shared_object_that_is_not_a_cycle_is_written_once_per_reference()
    {
        var shared = new TreeNode { Value = 7 };
        var root = new TreeNode { Children = [shared, shared] };

        var back = CodecHarness.Decode(Tree, CodecHarness.Encode(Tree, root))!;

        Assert.Equal([7, 7], back.Children.Select(c => c.Value));
        Assert.NotSame(back.Children[0], back.Children[1]);
    }

    [Fact]
    public void A_writer_rolled_back_after_a_failure_starts_the_next_value_at_depth_zero()
    {
        var writer = new PoolWriter();
        var cycle = new TreeNode();
        cycle.Next = cycle;

        Assert.Throws<PoolSerializationException>(() => Tree.WriteArguments(writer, new ValueTuple<TreeNode?>(cycle)));
        Assert.NotEqual(0, writer.Depth);
        writer.Truncate(0);

        Assert.Equal(0, writer.Depth);
        Tree.WriteArguments(writer, new ValueTuple<TreeNode?>(CodecRoundTripTests.Chain(256)));
        Assert.Equal(0, writer.Depth);
    }

    [Fact]
    public void A_huge_depth_limit_cannot_overflow_the_stack_on_either_side()
    {
        var chain = CodecRoundTripTests.Chain(1_000_000);
        var writeError = CodecHarness.OnSmallStack(() => CodecHarness.Encode(Tree, chain, maxDepth: int.MaxValue));
        Assert.Contains("too deep for this thread's stack", Assert.IsType<PoolSerializationException>(writeError).Message);

        // Hand-made bytes for a million nested nodes: marker and value (a one-byte varint 0) going down, then a null
        // Next, then each level's empty Children list (an int32 count) on the way back up.
        const int levels = 1_000_000;
        var bytes = new byte[levels * 2 + 1 + levels * 4];
        for (int i = 0; i < levels; i++) bytes[i * 2] = 1;
        var readError = CodecHarness.OnSmallStack(() => CodecHarness.Decode(Tree, bytes, maxDepth: int.MaxValue));
        Assert.Contains("too deep for this thread's stack", Assert.IsType<PoolSerializationException>(readError).Message);
    }

    [Fact]
    public void A_constructor_that_refuses_the_data_is_a_serialization_error()
    {
        var task = Descriptors.ProcPool_Tests_CodecTasks_EchoPercentage_PoolTask.Instance;
        Assert.Equal([1, 100], CodecHarness.Encode(task, new Percentage(50))); // the marker, then 50 as a zig-zag varint
        var writer = new PoolWriter();
        writer.WriteNullMarker(true);
        writer.WriteVarInt32(200);
        byte[] bytes = writer.WrittenSpan.ToArray();

        var error = Assert.Throws<PoolSerializationException>(() => CodecHarness.Decode(task, bytes));

        Assert.StartsWith("Rebuilding Percentage from the data failed:", error.Message);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
    }

    [Fact]
    public void A_length_larger_than_the_data_is_refused_before_anything_is_allocated()
    {
        var customers = Descriptors.ProcPool_Tests_CodecTasks_EchoCustomers_PoolTask.Instance;
        var dictionary = Descriptors.ProcPool_Tests_CodecTasks_EchoDictionary_PoolTask.Instance;
        var grid = Descriptors.ProcPool_Tests_CodecTasks_EchoGrid_PoolTask.Instance;
        byte[] claimsBillions = [0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3];
        byte[] gridOfBillions = [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 1, 2, 3];

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("needs more than the 3 bytes left", Assert.Throws<PoolSerializationException>(() => CodecHarness.Decode(customers, claimsBillions)).Message);
        Assert.Throws<PoolSerializationException>(() => CodecHarness.Decode(dictionary, claimsBillions));
        Assert.Throws<PoolSerializationException>(() => CodecHarness.Decode(grid, gridOfBillions));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "Decoding a hostile length allocated more than the exception messages need.");
    }
}
