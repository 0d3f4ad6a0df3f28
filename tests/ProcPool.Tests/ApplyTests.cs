using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>Calls run in real worker processes and come back typed: through the generated stubs and through ApplyAsync.</summary>
[Collection(SharedPoolCollection.Name)]
public class ApplyTests(PoolFixture fixture)
{
    private WorkerPool Pool => fixture.Pool;

    [Fact]
    public async Task Stub_returns_the_result_computed_in_another_process()
    {
        int sum = await Pool.AddAsync(40, 2);
        int workerPid = await Pool.ProcessIdAsync();

        Assert.Equal(42, sum);
        Assert.NotEqual(Environment.ProcessId, workerPid);
        Assert.Contains(workerPid, Pool.WorkerProcessIds);
    }

    [Fact]
    public async Task ApplyAsync_resolves_a_method_group_to_its_task()
    {
        PoolResult<int> result = Pool.ApplyAsync(TestTasks.Add, 20, 22);
        double square = await Pool.ApplyAsync(TestTasks.Square, 1.5);

        Assert.Equal(42, await result);
        Assert.Equal(2.25, square);
        Assert.NotNull(result.WorkerProcessId);
        Assert.NotEqual(Environment.ProcessId, result.WorkerProcessId);
    }

    [Fact]
    public async Task Zero_to_eight_arguments_bind_through_ApplyAsync_and_the_stub()
    {
        const string expected = "1|-2|3|-4|5.5|6.25|g|h";
        Assert.Equal(expected, await Pool.ApplyAsync(TestTasks.Eight, (byte)1, (short)-2, 3, -4L, 5.5f, 6.25, 'g', "h"));
        Assert.Equal(expected, await Pool.EightAsync(1, -2, 3, -4, 5.5f, 6.25, 'g', "h"));
        Assert.Equal(expected, Pool.Apply(TestTasks.Eight, (byte)1, (short)-2, 3, -4L, 5.5f, 6.25, 'g', "h"));
        Assert.Equal(42, await Pool.ApplyAsync(TestTasks.Zero));
        Assert.Equal(42, await Pool.ZeroAsync());
    }

    [Fact]
    public void Apply_blocks_and_returns_the_value()
    {
        Assert.Equal(7, Pool.Apply(TestTasks.Add, 3, 4));
        Assert.NotEqual(Environment.ProcessId, Pool.Apply(TestTasks.ProcessId));
    }

    [Fact]
    public async Task Tasks_from_a_referenced_library_run_in_workers()
    {
        Assert.Equal(6_000_000_000L, await Pool.MultiplyAsync(60_000, 100_000));
        Assert.Equal("hello ada from ProcPool.TestTasks", await Pool.ApplyAsync(LibraryTasks.Greet, "ada"));
        Assert.NotEqual(Environment.ProcessId, await Pool.ApplyAsync(LibraryTasks.ProcessId));
    }

    [Fact]
    public async Task Strings_and_arrays_cross_intact()
    {
        Assert.Equal("<null>", await Pool.ReverseAsync(null));
        Assert.Equal("cba", await Pool.ReverseAsync("abc"));
        Assert.Equal("", await Pool.ReverseAsync(""));
        Assert.Equal(new[] { 2, 4, -6 }, await Pool.DoubledAsync([1, 2, -3]));
        Assert.Empty(await Pool.DoubledAsync([]));
        var large = new byte[3_000_000];
        new Random(7).NextBytes(large);
        Assert.Equal(large, await Pool.EchoAsync(large));
    }

    [Fact]
    public async Task Unicode_survives_the_trip_including_surrogate_pairs()
    {
        const string text = "añ中𝄞🎉";
        string reversed = await Pool.ReverseAsync(text);
        // Reverse works on UTF-16 units, so pairs come back swapped: compare with the same operation done here.
        Assert.Equal(new string(text.Reverse().ToArray()), reversed);
        Assert.Equal(text, await Pool.ApplyAsync(TestTasks.Reverse, reversed));
    }

    [Fact]
    public async Task Async_tasks_are_awaited_in_the_worker()
    {
        Assert.Equal("later", await Pool.DelayedEchoAsync("later", 20));
        Assert.Equal(6L, await Pool.SumAsync([1, 2, 3]));
        Assert.Equal(10L, await Pool.ApplyAsync(TestTasks.SumAsync, new long[] { 4, 6 }));
        await Pool.CompletedAsync();
        await Pool.ApplyAsync(TestTasks.CompletedAsync);
        await Pool.NothingAsync(1);
        Pool.Apply(TestTasks.Nothing, 2);
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_all_complete_correctly()
    {
        var results = Enumerable.Range(0, 1000).Select(i => (i, Result: Pool.ApplyAsync(TestTasks.Add, i, i * 3))).ToList();

        foreach (var (i, result) in results) Assert.Equal(i * 4, await result);
        var pids = results.Select(r => r.Result.WorkerProcessId!.Value).Distinct().ToList();
        Assert.DoesNotContain(Environment.ProcessId, pids);
    }

    [Fact]
    public async Task Calls_from_many_threads_at_once_all_complete_correctly()
    {
        var threads = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 100; i++)
                Assert.Equal(t * 1000 + i, await Pool.AddAsync(t * 1000, i));
        }));
        await Task.WhenAll(threads);
    }

    // PP0008 reports both calls below at compile time; these tests check the runtime's own check, which is what
    // remains for a delegate the compiler can't see through (a variable, a reflection-made delegate).
#pragma warning disable PP0008
    [Fact]
    public void A_method_that_is_not_a_task_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.ApplyAsync(TestTasks.NotATask, 1));
        Assert.Contains("TestTasks.NotATask", error.Message);
        Assert.Contains("[PoolTask]", error.Message);
    }

    [Fact]
    public void A_lambda_is_rejected_with_the_reason()
    {
        int captured = 5;
        var error = Assert.Throws<ArgumentException>(() => Pool.ApplyAsync((int x) => x + captured, 1));
        Assert.Contains("lambda", error.Message);
    }
#pragma warning restore PP0008
}
