using System.Net.Sockets;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>SharedQueue&lt;T&gt; between the parent and real workers: order, delivery across workers, timeouts, cancellation.</summary>
[Collection(SharedPoolCollection.Name)]
public class SharedQueueTests(PoolFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private WorkerPool Pool => fixture.Pool;

    [Fact]
    public async Task A_reader_in_one_worker_gets_in_order_what_a_writer_in_another_put()
    {
        using var queue = SharedQueue<char>.Create();

        // The reader starts first and blocks on the empty queue, so the writer must run in the other worker.
        var reader = Pool.TakeLettersAsync(queue, 10);
        await Task.Delay(200);
        int writerPid = await Pool.PutLettersAsync(queue, "helloworld");
        var (letters, readerPid) = await reader;

        Assert.Equal("helloworld", letters);
        Assert.NotEqual(writerPid, readerPid);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task The_parent_puts_and_gets_too()
    {
        using var queue = SharedQueue<char>.Create();
        foreach (char c in "abc") queue.Put(c);

        var (letters, _) = await Pool.TakeLettersAsync(queue, 3);
        await Pool.PutLettersAsync(queue, "xyz");

        Assert.Equal("abc", letters);
        Assert.Equal(3, queue.Count);
        Assert.Equal('x', queue.Get());
        Assert.Equal('y', await queue.GetAsync());
        Assert.True(queue.TryGet(TimeSpan.Zero, out char last));
        Assert.Equal('z', last);
        Assert.False(queue.TryGet(TimeSpan.Zero, out _));
    }

    [Fact]
    public async Task Get_times_out_in_a_worker_and_in_the_parent()
    {
        using var queue = SharedQueue<string>.Create();

        Assert.Equal("timeout", await Pool.GetOrTimeoutAsync(queue, 200));
        Assert.Throws<TimeoutException>(() => queue.Get(TimeSpan.FromMilliseconds(50)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await queue.GetAsync(TimeSpan.FromMilliseconds(50)));

        queue.Put("late");
        Assert.Equal("item late", await Pool.GetOrTimeoutAsync(queue, 5_000));
    }

    [Fact]
    public async Task A_cancelled_GetAsync_in_a_worker_takes_nothing()
    {
        using var queue = SharedQueue<string>.Create();

        Assert.Equal("cancelled", await Pool.GetAsyncCancelledAsync(queue, 200));
        queue.Put("kept");

        Assert.Equal(1, await Pool.CountOfAsync(queue));
        Assert.Equal("item kept", await Pool.GetAsyncCancelledAsync(queue, 5_000));
        using var cancel = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.GetAsync(cancel.Token));
    }

    [Fact]
    public async Task A_bounded_queue_holds_a_worker_s_puts_until_gets_make_room()
    {
        using var queue = SharedQueue<char>.Create(maxSize: 2);

        // Five letters into a queue of two: the worker fills it and waits.
        var writer = Pool.PutLettersAsync(queue, "hello");
        Assert.True(await Eventually.TrueAsync(() => queue.Count == 2, Patience), "the worker's first puts did not arrive");
        await Task.Delay(200);
        Assert.False(writer.IsReady, "a put into the full queue did not wait");
        Assert.Equal(2, queue.Count);

        // Each get lets the longest-waiting put in, so the order holds.
        var letters = new char[5];
        for (int i = 0; i < letters.Length; i++) letters[i] = queue.Get(Patience);
        await writer.AsTask().WaitAsync(Patience);
        Assert.Equal("hello", new string(letters));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_put_into_a_full_queue_that_times_out_or_is_cancelled_adds_nothing()
    {
        using var queue = SharedQueue<string>.Create(maxSize: 1);
        queue.Put("first");

        // In the parent, which owns the queue.
        Assert.False(queue.TryPut("now", TimeSpan.Zero));
        Assert.Throws<TimeoutException>(() => queue.Put("soon", TimeSpan.FromMilliseconds(50)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await queue.PutAsync("soon", TimeSpan.FromMilliseconds(50)));
        using (var cancel = new CancellationTokenSource(50))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.PutAsync("never", cancel.Token));
        // In a worker, through the socket.
        Assert.Equal("full", await Pool.TryPutWithinAsync(queue, "worker", 100));
        Assert.Equal("cancelled", await Pool.PutAsyncCancelledAsync(queue, "worker", 100));

        Assert.Equal(1, queue.Count);
        Assert.Equal("first", queue.Get());
        Assert.Equal("added", await Pool.TryPutWithinAsync(queue, "worker", 5_000));
        Assert.False(queue.TryPut("parent", TimeSpan.Zero));
        Assert.Equal("worker", queue.Get());
        Assert.False(queue.TryGet(TimeSpan.Zero, out _));
    }

    [Fact]
    public async Task A_put_waiting_for_room_ends_when_the_owner_disposes_the_queue()
    {
        var queue = SharedQueue<char>.Create(maxSize: 1);
        var writer = Pool.PutLettersAsync(queue, "ab");
        Assert.True(await Eventually.TrueAsync(() => queue.Count == 1, Patience), "the worker's first put did not arrive");
        await Task.Delay(100); // the second put waits for room

        queue.Dispose();

        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await writer.AsTask().WaitAsync(Patience));
        Assert.Equal(typeof(ObjectDisposedException).FullName, error.RemoteType);
    }

    [Fact]
    public async Task The_owner_s_own_waiting_put_and_get_end_when_it_disposes_the_queue()
    {
        var full = SharedQueue<string>.Create(maxSize: 1);
        full.Put("first");
        var empty = SharedQueue<string>.Create();
        var put = Task.Run(() => full.Put("waits"));
        var get = Task.Run(() => empty.Get());
        await Task.Delay(100);
        Assert.False(put.IsCompleted || get.IsCompleted, "a wait ended before the queues were disposed");

        full.Dispose();
        empty.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => put.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => get.WaitAsync(Patience));
    }

    [Fact]
    public void A_negative_size_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => SharedQueue<string>.Create(-1));

    [Fact]
    public async Task Records_travel_through_their_generated_codec()
    {
        using var queue = SharedQueue<Customer>.Create();

        Assert.Equal(3, await Pool.PutCustomersAsync(queue, 3));

        for (int i = 0; i < 3; i++)
        {
            var customer = queue.Get(TimeSpan.FromSeconds(5));
            Assert.Equal(i, customer.Id);
            Assert.Equal($"customer {i}", customer.Name);
            Assert.Equal("Springfield", customer.Address!.City);
            Assert.Equal(["vip"], customer.Tags!);
            Assert.Equal(Priority.High, customer.Priority);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_socket_sits_in_a_private_directory_that_goes_away_with_the_queue()
    {
        var queue = SharedQueue<string>.Create();
        string directory = Path.GetDirectoryName(queue.Path)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.True(queue.IsOwner);

        queue.Dispose();

        Assert.False(Directory.Exists(directory));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Assert.ThrowsAny<SocketException>(() => socket.Connect(new UnixDomainSocketEndPoint(queue.Path)));
        Assert.Throws<ObjectDisposedException>(() => queue.Put("after"));
    }

    [Fact]
    public void A_queue_of_a_type_no_task_takes_has_no_codec_and_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SharedQueue<Version>.Create());
        Assert.Contains("No codec is registered for SharedQueue<Version>", error.Message);
    }
}
