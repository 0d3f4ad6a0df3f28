namespace ProcPool.Tests;

/// <summary>
/// Large calls and results cross through the shared-memory rings (Linux) and come back intact; when a ring is full,
/// too small or off, they go through the pipes instead; a worker that dies holding one is replaced as usual.
/// </summary>
[Collection(ProcessBurstCollection.Name)]
public class SharedMemoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Large_arguments_and_results_go_through_shared_memory_and_come_back_intact()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
        long movedBefore = Protocol.SharedRing.FramesMoved;
        long readBefore = Protocol.SharedRing.FramesRead;

        // One at a time, 8 MiB each through 16 MiB rings: the four fit only if each side gives the space back, so every
        // one of them taking the shared path also shows the rings are released and reused.
        for (int i = 0; i < 4; i++)
        {
            var payload = RandomBytes(8 << 20, i);
            Assert.Equal(payload, await pool.ApplyAsync(TestTasks.Echo, payload).AsTask().WaitAsync(Patience));
        }

        if (OperatingSystem.IsLinux())
        {
            // This collection runs alone, so the process-wide counters see only this pool.
            Assert.Equal(4, Protocol.SharedRing.FramesMoved - movedBefore);
            Assert.Equal(4, Protocol.SharedRing.FramesRead - readBefore);
        }
    }

    [Fact]
    public async Task A_map_of_large_arrays_comes_back_intact_through_the_rings()
    {
        // Chunks of four 100 KiB arrays each way: the worker's chunk result references the four arrays and copies each
        // straight into the ring, between the item headers it wrote itself.
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });
        var payloads = Enumerable.Range(0, 24).Select(i => RandomBytes(100 * 1024 + i, 500 + i)).ToList();
        long readBefore = Protocol.SharedRing.FramesRead;

        var results = await pool.MapAsync(TestTasks.Echo, payloads, chunkSize: 4).AsTask().WaitAsync(Patience);

        Assert.Equal(payloads, results);
        if (OperatingSystem.IsLinux()) Assert.Equal(6, Protocol.SharedRing.FramesRead - readBefore);
    }

    [Fact]
    public async Task A_chunk_whose_task_refills_one_array_keeps_each_items_result()
    {
        // The worker must not defer a chunk's result arrays: this task returns one static array, refilled per item.
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });

        var results = await pool.MapAsync(TestTasks.RefilledBuffer, new[] { 1, 2, 3, 4 }, chunkSize: 4).AsTask().WaitAsync(Patience);

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, results.Select(r => r[^1]).ToArray());
        Assert.All(results, r => Assert.Equal(-1, r.AsSpan().IndexOfAnyExcept(r[0])));
    }

    [Fact]
    public async Task A_ring_call_followed_by_a_pipe_call_larger_than_the_pipe_in_one_batch_does_not_deadlock()
    {
        // Results arriving in a burst make the reader send the queued calls in one batch: a 2 MiB call (ring) then a
        // 17 MiB one (too large for the 16 MiB ring: the pipe). The worker waits for the first body without reading
        // the pipe, so the parent must copy that body before it writes the 17 MiB behind it.
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        var middle = new byte[2 << 20];
        var large = new byte[17 << 20];
        for (int round = 0; round < 4; round++)
        {
            var calls = new List<Task<int>>();
            for (int i = 0; i < 100; i++) calls.Add(pool.ApplyAsync(TestTasks.Identity, i).AsTask());
            calls.Add(pool.ApplyAsync(TestTasks.LengthOf, middle).AsTask());
            calls.Add(pool.ApplyAsync(TestTasks.LengthOf, large).AsTask());
            for (int i = 0; i < 100; i++) calls.Add(pool.ApplyAsync(TestTasks.Identity, i).AsTask());

            var all = await Task.WhenAll(calls).WaitAsync(Patience);

            Assert.Equal(2 << 20, all[100]);
            Assert.Equal(17 << 20, all[101]);
            Assert.Equal(Enumerable.Range(0, 100), all.Take(100));
        }
    }

    [Fact]
    public async Task Calls_that_find_the_ring_full_go_through_the_pipe_in_order()
    {
        // 40 calls of 1 MiB in flight against 4 MiB rings: most find the ring full and take the pipe, interleaved with
        // the ones in the ring; every result must still match its own call.
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2, SharedMemorySize = 4 << 20 });
        var payloads = Enumerable.Range(0, 40).Select(i => RandomBytes((1 << 20) + i, 100 + i)).ToList();

        var calls = payloads.Select(p => pool.ApplyAsync(TestTasks.Echo, p)).ToList();

        for (int i = 0; i < calls.Count; i++)
            Assert.Equal(payloads[i], await calls[i].AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_message_larger_than_the_ring_and_a_pool_without_shared_memory_use_the_pipes()
    {
        await using var small = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, SharedMemorySize = 128 * 1024 });
        await using var off = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, SharedMemorySize = 0 });
        var big = RandomBytes(2 << 20, 1);
        var fits = RandomBytes(100 * 1024, 2);

        long moved = Protocol.SharedRing.FramesMoved;
        Assert.Equal(big, await small.ApplyAsync(TestTasks.Echo, big).AsTask().WaitAsync(Patience));
        Assert.Equal(moved, Protocol.SharedRing.FramesMoved); // 2 MiB does not fit a 128 KiB ring: the pipe
        Assert.Equal(fits, await small.ApplyAsync(TestTasks.Echo, fits).AsTask().WaitAsync(Patience));
        if (OperatingSystem.IsLinux()) Assert.Equal(moved + 1, Protocol.SharedRing.FramesMoved); // 100 KiB does
        Assert.Equal(big, await off.ApplyAsync(TestTasks.Echo, big).AsTask().WaitAsync(Patience));
        Assert.Equal(OperatingSystem.IsLinux() ? moved + 1 : moved, Protocol.SharedRing.FramesMoved); // off: the pipe
    }

    [Fact]
    public async Task A_worker_that_dies_holding_a_large_call_is_reported_and_replaced()
    {
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        var payload = RandomBytes(2 << 20, 3);
        long movedBefore = Protocol.SharedRing.FramesMoved;

        await Assert.ThrowsAsync<WorkerCrashedException>(async () => await pool.ApplyAsync(CrashTasks.KillSelfHolding, payload).AsTask().WaitAsync(Patience));

        if (OperatingSystem.IsLinux()) Assert.Equal(1, Protocol.SharedRing.FramesMoved - movedBefore);

        Assert.Equal(payload, await pool.ApplyAsync(TestTasks.Echo, payload).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_call_retried_after_its_answer_was_cut_off_is_timed_again()
    {
        if (!OperatingSystem.IsLinux()) return;
        // The first run answers 64 MiB and is killed mid-copy; the retry hangs, and its 2 s timeout must still end it
        // (the watchdog skips calls whose worker has answered, and the first worker had, in part).
        await using var pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 1, SharedMemorySize = 80 << 20, RetryCrashedTasks = 1, TaskTimeout = TimeSpan.FromSeconds(2),
        });
        for (int attempt = 0; attempt < 10; attempt++)
        {
            Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 1, Patience), "the pool did not get its worker back");
            using var worker = System.Diagnostics.Process.GetProcessById(pool.WorkerProcessIds[0]);
            var flag = Path.Combine(Path.GetTempPath(), $"procpool-retry-{Guid.NewGuid():N}");
            long abandonedBefore = Protocol.SharedRing.BodiesAbandoned;
            try
            {
                long readBefore = Protocol.SharedRing.FramesRead;
                var call = pool.ApplyAsync(TestTasks.FilledOnceThenHang, 64 << 20, (byte)9, flag);
                // Killed once the parent has the stand-in frame, a little later on each attempt, while the copy goes on.
                WaitForTheStandIn(readBefore, call);
                var delay = System.Diagnostics.Stopwatch.StartNew();
                while (delay.Elapsed.TotalMilliseconds < attempt % 4 && !call.IsReady) Thread.SpinWait(20);
                worker.Kill();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var error = await FailureOf(call);
                if (Protocol.SharedRing.BodiesAbandoned == abandonedBefore) continue; // the kill came after the copy
                Assert.IsType<TimeoutException>(error);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the retry ended after {watch.Elapsed.TotalSeconds:0.0} s, not at its 2 s timeout");
                Assert.NotEqual(worker.Id, call.WorkerProcessId ?? 0); // the worker killed mid-answer did not complete it
                return;
            }
            finally
            {
                File.Delete(flag);
            }
        }
        Assert.Fail("no kill landed while the answer was being copied in");
    }

    [Fact]
    public async Task A_worker_stopped_while_copying_its_answer_in_is_killed_at_the_calls_timeout()
    {
        if (!OperatingSystem.IsLinux()) return;
        // SIGSTOP once the parent has the stand-in of a 64 MiB answer: the parent waits for bytes that do not come, and
        // the 2 s timeout must still end the call and kill the worker (a stopped process dies of SIGKILL all the same).
        await using var pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 1, SharedMemorySize = 80 << 20, TaskTimeout = TimeSpan.FromSeconds(2),
        });
        for (int attempt = 0; attempt < 10; attempt++)
        {
            Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 1, Patience), "the pool did not get its worker back");
            int pid = pool.WorkerProcessIds[0];
            long readBefore = Protocol.SharedRing.FramesRead;
            long abandonedBefore = Protocol.SharedRing.BodiesAbandoned;
            var call = pool.ApplyAsync(TestTasks.Filled, 64 << 20, (byte)3);
            WaitForTheStandIn(readBefore, call);
            int stopped = StopProcess(pid, StopSignal);
            Assert.True(stopped == 0, $"kill -STOP {pid} failed (attempt {attempt}, errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}, call ready: {call.IsReady})");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = await FailureOf(call);
            if (error is null)
            {
                StopProcess(pid, ContinueSignal); // stopped after the copy: the answer was whole; try again
                continue;
            }
            Assert.IsType<TimeoutException>(error);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the call ended after {watch.Elapsed.TotalSeconds:0.0} s, not at its 2 s timeout");
            Assert.True(await Eventually.TrueAsync(() => !ProcessProbe.IsAlive(pid), Patience), "the stopped worker was not killed");
            // The parent's decoder, waiting for the rest of the answer, noticed the death rather than waiting on.
            Assert.True(await Eventually.TrueAsync(() => Protocol.SharedRing.BodiesAbandoned > abandonedBefore, Patience), "the decoder kept waiting");
            Assert.Equal(4, await pool.ApplyAsync(TestTasks.Identity, 4).AsTask().WaitAsync(Patience));
            return;
        }
        Assert.Fail("no stop landed while the answer was being copied in");
    }

    private const int StopSignal = 19;
    private const int ContinueSignal = 18;

    // DllImport, not LibraryImport: the no-false-positive test compiles this project with ProcPool's generator only.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int StopProcess(int pid, int signal);

    [Fact]
    public async Task A_result_still_decoding_when_its_worker_dies_is_delivered_not_failed()
    {
        if (!OperatingSystem.IsLinux()) return;
        // The worker answers (1 MiB, through the ring) and dies 100 ms later; decoding the answer takes 800 ms here.
        // The exit timer fires at about 600 ms: it must leave the call to the reader, which delivers the result,
        // instead of failing it as a crash (or, with retries on, running it again).
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1 });
        long readBefore = Protocol.SharedRing.FramesRead;
        SlowToBuild.DelayInThisProcess = 800;
        try
        {
            var result = await pool.ApplyAsync(CrashTasks.AnswerThenDie, 1 << 20, 42).AsTask().WaitAsync(Patience);

            Assert.Equal(42, result.Marker);
            Assert.Equal(1 << 20, result.Data.Length);
            Assert.Equal(1, Protocol.SharedRing.FramesRead - readBefore); // it came through the ring
        }
        finally
        {
            SlowToBuild.DelayInThisProcess = 0;
        }
        Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 1, Patience), "the dead worker was not replaced");
        Assert.Equal(5, await pool.ApplyAsync(TestTasks.Identity, 5).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Large_calls_under_a_killer_each_end_once_with_their_own_bytes()
    {
        // The ring and the pipe interleave while workers die mid-call: a replacement must start with fresh rings, and
        // no result may come back with another call's bytes. Ten waves of 24 calls; in each, a worker is killed once
        // half the wave is back, while the other half is in flight.
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2, SharedMemorySize = 4 << 20 });
        int kills = 0, succeeded = 0, crashed = 0;
        for (int wave = 0; wave < 10; wave++)
        {
            Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 2, Patience), "the pool did not get back to two workers");
            var payloads = Enumerable.Range(0, 24).Select(i => RandomBytes((256 << 10) + i * 20_011, wave * 100 + i)).ToList();
            var calls = payloads.Select(p => pool.ApplyAsync(TestTasks.Echo, p)).ToList();
            for (int i = 0; i < calls.Count; i++)
            {
                if (i == calls.Count / 2 && ProcessProbe.TryKillRandomWorker(pool)) kills++;
                try
                {
                    Assert.Equal(payloads[i], await calls[i].AsTask().WaitAsync(Patience));
                    succeeded++;
                }
                catch (WorkerCrashedException)
                {
                    crashed++;
                }
            }
        }

        Assert.Equal(240, succeeded + crashed);
        Assert.True(crashed <= kills, $"{crashed} crash failures for {kills} kills");
        Assert.True(succeeded > 0, "no call got through");
        Assert.Equal(10, kills);
    }

    [Fact]
    public async Task A_worker_killed_while_copying_its_result_in_fails_that_call_as_a_crash_and_is_replaced()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A 64 MiB result takes the worker milliseconds to copy into the ring, and the parent decodes behind the copy:
        // a kill sent as soon as the parent has the stand-in frame lands mid-copy, and the parent must notice the death
        // instead of waiting for bytes that will never come. A kill that lands after the copy must leave the result whole.
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, SharedMemorySize = 80 << 20 });
        long abandonedBefore = Protocol.SharedRing.BodiesAbandoned;
        int crashed = 0;
        for (int attempt = 0; attempt < 10 && Protocol.SharedRing.BodiesAbandoned == abandonedBefore; attempt++)
        {
            Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 1, Patience), "the pool did not get its worker back");
            using var worker = System.Diagnostics.Process.GetProcessById(pool.WorkerProcessIds[0]);
            long readBefore = Protocol.SharedRing.FramesRead;
            byte value = (byte)(attempt + 1);
            var call = pool.ApplyAsync(TestTasks.Filled, 64 << 20, value);
            WaitForTheStandIn(readBefore, call);
            worker.Kill();
            try
            {
                var result = await call.AsTask().WaitAsync(Patience);
                Assert.Equal(64 << 20, result.Length);
                Assert.Equal(-1, result.AsSpan().IndexOfAnyExcept(value));
            }
            catch (WorkerCrashedException)
            {
                crashed++;
            }
        }

        Assert.True(Protocol.SharedRing.BodiesAbandoned > abandonedBefore, "no kill landed while a result was being copied in");
        Assert.True(crashed > 0);
        Assert.True(await Eventually.TrueAsync(() => pool.WorkerProcessIds.Count == 1, Patience), "the pool did not get its worker back");
        var after = await pool.ApplyAsync(TestTasks.Filled, 1 << 20, (byte)77).AsTask().WaitAsync(Patience);
        Assert.Equal(-1, after.AsSpan().IndexOfAnyExcept((byte)77));
    }

    /// <summary>Spins until this process has read one more frame through a ring (the answer's stand-in), or the call ended.</summary>
    private static void WaitForTheStandIn(long framesReadBefore, PoolResult call)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (Protocol.SharedRing.FramesRead == framesReadBefore && !call.IsReady && DateTime.UtcNow < giveUp) Thread.SpinWait(20);
    }

    /// <summary>What the call failed with, or null if it returned.</summary>
    private static async Task<Exception?> FailureOf<T>(PoolResult<T> call)
    {
        try
        {
            await call.AsTask().WaitAsync(Patience);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public void A_negative_size_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PoolOptions { SharedMemorySize = -1 }.Validate());
        Assert.Equal("SharedMemorySize", error.ParamName);
    }
}
