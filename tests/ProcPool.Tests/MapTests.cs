using System.Collections.Concurrent;
using ProcPool.Mapping;

namespace ProcPool.Tests;

/// <summary>Map, MapAsync, IMap, IMapUnordered, StarMap, StarMapAsync against real workers.</summary>
[Collection(SharedPoolCollection.Name)]
public class MapTests(PoolFixture fixture)
{
    private WorkerPool Pool => fixture.Pool;

    [Fact]
    public void Map_returns_results_in_item_order()
    {
        // Python: pool.map(f, range(10)) prints [0, 1, 4, ..., 81]
        double[] squares = Pool.Map(TestTasks.Square, Enumerable.Range(0, 10).Select(i => (double)i));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i * i), squares);
    }

    [Fact]
    public async Task MapAsync_over_many_items_is_complete_and_ordered()
    {
        var items = Enumerable.Range(0, 20_000).ToArray();
        int[] results = await Pool.MapAsync(TestTasks.Identity, items, chunkSize: 500);
        Assert.Equal(items, results);
    }

    [Fact]
    public async Task Items_travel_in_chunks_each_run_by_one_worker()
    {
        int[] pids = await Pool.MapAsync(TestTasks.PidOf, Enumerable.Range(0, 1000).ToArray(), chunkSize: 100);

        for (int chunk = 0; chunk < 10; chunk++)
            Assert.Single(pids.Skip(chunk * 100).Take(100).Distinct());
        Assert.DoesNotContain(Environment.ProcessId, pids);
    }

    [Fact]
    public void Default_chunk_size_follows_Pythons_rule_and_adapts_without_a_count()
    {
        Assert.Equal(13, new ChunkSizer(null, 100, 2).Next());   // ceil(100 / (4 × 2))
        Assert.Equal(1, new ChunkSizer(null, 5, 4).Next());
        Assert.Equal(7, new ChunkSizer(7, 1000, 2).Next());
        var adaptive = new ChunkSizer(null, null, 2);
        Assert.Equal(1, adaptive.Next());
        adaptive.Observe(items: 10, ticks: System.Diagnostics.Stopwatch.Frequency / 100_000); // 1 µs per item
        Assert.True(adaptive.Next() > 100, $"fast items should make big chunks, got {adaptive.Next()}");
        var slow = new ChunkSizer(null, null, 2);
        slow.Observe(items: 1, ticks: System.Diagnostics.Stopwatch.Frequency / 10); // 100 ms per item
        Assert.Equal(1, slow.Next());
    }

    [Fact]
    public async Task A_failing_item_fails_the_map_with_its_index()
    {
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await Pool.MapAsync(TestTasks.FailAt37, Enumerable.Range(0, 100).ToArray(), chunkSize: 10));

        Assert.Equal(37, error.ItemIndex);
        Assert.Equal("System.ArgumentOutOfRangeException", error.RemoteType);
        Assert.Contains("item 37", error.Message);
        Assert.Equal(2, await Pool.AddAsync(1, 1));
    }

    [Fact]
    public async Task IMap_yields_in_order_even_when_later_items_finish_first()
    {
        var results = new List<int>();
        await foreach (var value in Pool.IMap(TestTasks.SlowFirst, Enumerable.Range(0, 8), chunkSize: 1)) results.Add(value);
        Assert.Equal(Enumerable.Range(0, 8), results);
    }

    [Fact]
    public async Task IMapUnordered_yields_as_items_finish()
    {
        var results = new List<int>();
        await foreach (var value in Pool.IMapUnordered(TestTasks.SlowFirst, Enumerable.Range(0, 8), chunkSize: 1)) results.Add(value);

        Assert.Equal(Enumerable.Range(0, 8), results.Order());
        Assert.NotEqual(0, results[0]);
    }

    [Fact]
    public void IMap_steps_like_a_Python_iterator_with_a_timeout()
    {
        using var iterator = Pool.IMap(TestTasks.Square, Enumerable.Range(0, 3).Select(i => (double)i));
        Assert.Equal(0.0, iterator.Next());
        Assert.Equal(1.0, iterator.Next());
        Assert.Equal(4.0, iterator.Next(TimeSpan.FromSeconds(10)));
        Assert.False(iterator.TryNext(out _, TimeSpan.FromSeconds(10)));
        Assert.Throws<InvalidOperationException>(() => iterator.Next());
    }

    [Fact]
    public void IMap_next_times_out_and_the_map_goes_on()
    {
        using var iterator = Pool.IMap(TestTasks.SleepMs, new[] { 600 }, chunkSize: 1);
        Assert.Throws<TimeoutException>(() => iterator.Next(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(600, iterator.Next(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task IMap_reads_an_endless_source_lazily_with_bounded_lookahead()
    {
        int pulled = 0;
        IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++)
            {
                Interlocked.Increment(ref pulled);
                yield return i;
            }
        }

        int taken = 0;
        await foreach (var value in Pool.IMap(TestTasks.Identity, Endless(), chunkSize: 10))
        {
            Assert.Equal(taken, value);
            if (++taken == 200) break;
        }
        await Task.Delay(200);

        // 2 workers × 4 chunks outstanding × 10 items, plus the chunk being filled: far from "everything".
        Assert.InRange(Volatile.Read(ref pulled), 200, 200 + 2 * 4 * 10 + 20);
    }

    [Fact]
    public async Task IMap_takes_an_async_source()
    {
        static async IAsyncEnumerable<int> Source()
        {
            for (int i = 0; i < 50; i++)
            {
                if (i % 10 == 0) await Task.Delay(5);
                yield return i;
            }
        }

        var results = new List<int>();
        await foreach (var value in Pool.IMap(TestTasks.Identity, Source())) results.Add(value);
        Assert.Equal(Enumerable.Range(0, 50), results);
        Assert.Equal(Enumerable.Range(0, 50), await Pool.MapAsync(TestTasks.Identity, Source()));
    }

    [Fact]
    public async Task Ordered_IMap_delivers_the_items_before_a_failure_then_throws_with_its_index()
    {
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () =>
        {
            await foreach (var value in Pool.IMap(TestTasks.FailAt37, Enumerable.Range(0, 100), chunkSize: 5)) results.Add(value);
        });
        Assert.Equal(37, error.ItemIndex);
        Assert.Equal(Enumerable.Range(0, 37), results);
    }

    [Fact]
    public async Task StarMap_spreads_tuples_over_parameters()
    {
        var pairs = Enumerable.Range(0, 100).Select(i => (i, 1000 * i)).ToList();
        Assert.Equal(pairs.Select(p => p.i + p.Item2), Pool.StarMap(TestTasks.Add, pairs));
        Assert.Equal(pairs.Select(p => p.i + p.Item2), await Pool.StarMapAsync(TestTasks.Add, pairs, chunkSize: 7));
    }

    [Fact]
    public async Task MapAsync_reports_progress_up_to_the_total()
    {
        var reports = new ConcurrentQueue<PoolProgress>();
        var progress = new SynchronousProgress(reports.Enqueue);

        await Pool.StarMapAsync(TestTasks.Add, Enumerable.Range(0, 400).Select(i => (i, i)).ToList(), chunkSize: 10, progress: progress);

        await Eventually.TrueAsync(() => reports.Any(r => r.Done == 400), TimeSpan.FromSeconds(5));
        var final = reports.Last();
        Assert.Equal(400, final.Done);
        Assert.Equal(400, final.Total);
        Assert.Equal(0, final.Failed);
        Assert.Equal(1.0, final.Fraction);
        Assert.True(final.Elapsed > TimeSpan.Zero);
        var dones = reports.Select(r => r.Done).ToList();
        Assert.Equal(dones.Order(), dones);
    }

    [Fact]
    public async Task Map_of_async_and_void_tasks()
    {
        Assert.Equal(new[] { 0, 2, 4 }, await Pool.MapAsync(TestTasks.DoubleAsync, new[] { 0, 1, 2 }));
        await Pool.MapAsync(TestTasks.Noop, Enumerable.Range(0, 100).ToArray());
        Pool.Map(TestTasks.Noop, new[] { 1, 2, 3 });
    }

    [Fact]
    public async Task Cancelling_a_map_stops_it_and_leaves_the_pool_usable()
    {
        using var cancellation = new CancellationTokenSource();
        var map = Pool.MapAsync(TestTasks.SleepMs, Enumerable.Repeat(50, 400).ToArray(), chunkSize: 1, cancellationToken: cancellation.Token);
        await Task.Delay(150);

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await map);
        Assert.Equal(7, await Pool.AddAsync(3, 4).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Callbacks_run_off_the_io_threads_with_the_result_or_the_error()
    {
        var done = new TaskCompletionSource<(int[] Values, string? Thread)>();
        _ = Pool.MapAsync(TestTasks.Identity, new[] { 1, 2, 3 }, values => done.SetResult((values, Thread.CurrentThread.Name)));
        var (values, thread) = await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { 1, 2, 3 }, values);
        Assert.DoesNotContain("ProcPool", thread ?? "");

        var failed = new TaskCompletionSource<Exception>();
        _ = Pool.ApplyAsync(TestTasks.Fail, "cb", _ => failed.SetResult(new Exception("should not succeed")), failed.SetResult);
        Assert.IsType<PoolTaskException>(await failed.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        var applied = new TaskCompletionSource<int>();
        _ = Pool.ApplyAsync(TestTasks.Add, 2, 3, applied.SetResult);
        Assert.Equal(5, await applied.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_slow_callback_does_not_hold_up_other_results()
    {
        using var release = new ManualResetEventSlim();
        _ = Pool.ApplyAsync(TestTasks.Add, 1, 1, _ => release.Wait(TimeSpan.FromSeconds(30)));
        // While that callback blocks a thread-pool thread, results keep arriving.
        for (int i = 0; i < 20; i++) Assert.Equal(i + 1, await Pool.AddAsync(i, 1).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        release.Set();
    }

    [Fact]
    public async Task Maps_over_an_empty_source_complete_at_once()
    {
        Assert.Empty(await Pool.MapAsync(TestTasks.Identity, Array.Empty<int>()).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(Pool.StarMap(TestTasks.Add, new List<(int, int)>()));
        await foreach (var _ in Pool.IMap(TestTasks.Identity, Enumerable.Empty<int>())) Assert.Fail("no item expected");
        Assert.Empty(await Pool.MapAsync(TestTasks.Identity, Enumerable.Range(0, 0).Where(i => i > 0)));
    }

    [Fact]
    public async Task A_source_that_throws_fails_the_map_with_its_own_exception()
    {
        static IEnumerable<int> Broken()
        {
            for (int i = 0; i < 25; i++) yield return i;
            throw new FormatException("the source broke at 25");
        }

        var error = await Assert.ThrowsAsync<FormatException>(async () => await Pool.MapAsync(TestTasks.Identity, Broken(), chunkSize: 5));
        Assert.Equal("the source broke at 25", error.Message);

        var seen = new List<int>();
        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var value in Pool.IMap(TestTasks.Identity, Broken(), chunkSize: 5)) seen.Add(value);
        });
        Assert.Equal(2, await Pool.AddAsync(1, 1));
    }

    [Fact]
    public void A_chunk_size_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pool.MapAsync(TestTasks.Identity, new[] { 1 }, chunkSize: 0));
    }

    private sealed class SynchronousProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
    {
        public void Report(PoolProgress value) => report(value);
    }
}
