using System.Net.Sockets;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>SharedQueue&lt;T&gt; between the parent and real workers: order, delivery across workers, timeouts, cancellation.</summary>
[Collection(SharedPoolCollection.Name)]
public class SharedQueueTests(PoolFixture fixture)
{
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
