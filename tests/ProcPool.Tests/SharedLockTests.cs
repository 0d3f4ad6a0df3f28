using System.Diagnostics;

namespace ProcPool.Tests;

/// <summary>SharedLock across real worker processes: exclusion, release by a dead holder, timeouts and cancellation.</summary>
[Collection(SharedPoolCollection.Name)]
public class SharedLockTests(PoolFixture fixture)
{
    private WorkerPool Pool => fixture.Pool;

    [Fact]
    public async Task Parallel_increments_under_the_lock_in_several_processes_lose_nothing()
    {
        using var gate = SharedLock.Create();
        string counter = Path.Combine(Path.GetDirectoryName(gate.Path)!, "counter");
        File.WriteAllText(counter, "0");

        var calls = Enumerable.Range(0, 8).Select(_ => Pool.IncrementUnderLockAsync(gate, counter, 25)).ToList();
        using (gate.Acquire())
        {
            // The parent takes part too, through its own instance.
            File.WriteAllText(counter, (int.Parse(File.ReadAllText(counter)) + 1).ToString());
        }
        var pids = new HashSet<int>();
        foreach (var call in calls) pids.Add(await call);

        Assert.Equal("201", File.ReadAllText(counter));
        Assert.Equal(2, pids.Count); // the increments ran in both workers, not one after the other in one
    }

    [Fact]
    public async Task A_lock_held_by_a_killed_worker_is_released()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        using var gate = SharedLock.Create();
        string marker = Path.Combine(Path.GetDirectoryName(gate.Path)!, "holder");

        var holding = pool.HoldForeverAsync(gate, marker);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(marker) || File.ReadAllText(marker).Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The worker never took the lock.");
            await Task.Delay(10);
        }
        Assert.False(gate.TryAcquire(TimeSpan.FromMilliseconds(100)), "The lock was free while a worker held it.");

        Process.GetProcessById(int.Parse(File.ReadAllText(marker))).Kill();

        Assert.True(gate.TryAcquire(TimeSpan.FromSeconds(10)), "The dead worker's lock was never released.");
        gate.Release();
        await Assert.ThrowsAsync<WorkerCrashedException>(async () => await holding);
    }

    [Fact]
    public async Task A_worker_waits_while_the_parent_holds_the_lock_and_gets_it_after()
    {
        using var gate = SharedLock.Create();

        using (gate.Acquire())
        {
            Assert.True(gate.IsHeld);
            Assert.False(await Pool.TryAcquireWithinAsync(gate, 200));
        }

        Assert.False(gate.IsHeld);
        Assert.True(await Pool.TryAcquireWithinAsync(gate, 5_000));
    }

    [Fact]
    public async Task AcquireAsync_gives_up_when_cancelled_in_a_worker_and_in_the_parent()
    {
        using var gate = SharedLock.Create();
        using var other = SharedLock.Open(gate.Path);
        using (await gate.AcquireAsync())
        {
            Assert.Equal("cancelled", await Pool.AcquireAsyncCancelledAsync(gate, 200));
            using var cancel = new CancellationTokenSource(100);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await other.AcquireAsync(cancel.Token));
            Assert.False(await other.TryAcquireAsync(TimeSpan.FromMilliseconds(50)));
            Assert.Throws<OperationCanceledException>(() => other.Acquire(new CancellationToken(canceled: true)));
        }
        Assert.Equal("acquired", await Pool.AcquireAsyncCancelledAsync(gate, 5_000));
    }

    [Fact]
    public void Two_threads_of_one_process_exclude_each_other_and_release_must_match_a_hold()
    {
        using var gate = SharedLock.Create();
        using var scope = gate.Acquire();

        bool otherThreadGotIt = true;
        var thread = new Thread(() => otherThreadGotIt = gate.TryAcquire(TimeSpan.FromMilliseconds(100)));
        thread.Start();
        thread.Join();

        Assert.False(otherThreadGotIt);
        using var fresh = SharedLock.Create();
        Assert.Throws<InvalidOperationException>(fresh.Release);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Disposing_the_creator_deletes_the_lock_file_and_its_private_directory()
    {
        var gate = SharedLock.Create();
        string directory = Path.GetDirectoryName(gate.Path)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));

        gate.Dispose();

        Assert.False(Directory.Exists(directory));
        Assert.Throws<ObjectDisposedException>(() => SharedLock.Open(gate.Path).TryAcquire(TimeSpan.Zero));
    }
}
