namespace ProcPool.Tests;

/// <summary>PoolResult behaves like Python's AsyncResult: get(timeout), wait, ready, successful.</summary>
[Collection(SharedPoolCollection.Name)]
public class PoolResultTests(PoolFixture fixture)
{
    private WorkerPool Pool => fixture.Pool;

    [Fact]
    public async Task Get_with_a_timeout_throws_and_the_task_keeps_running()
    {
        var result = Pool.SleepMsAsync(600);

        var error = Assert.Throws<TimeoutException>(() => result.Get(TimeSpan.FromMilliseconds(50)));
        Assert.Contains("TestTasks.SleepMs", error.Message);
        Assert.False(result.IsReady);
        Assert.Throws<InvalidOperationException>(() => result.IsSuccessful);

        Assert.Equal(600, await result);
        Assert.True(result.IsReady);
        Assert.True(result.IsSuccessful);
        Assert.Equal(600, result.Get(TimeSpan.Zero));
    }

    [Fact]
    public void Wait_returns_false_on_timeout_and_true_once_done()
    {
        var result = Pool.SleepMsAsync(300);

        Assert.False(result.Wait(TimeSpan.FromMilliseconds(20)));
        Assert.True(result.Wait(TimeSpan.FromSeconds(30)));
        Assert.True(result.Wait());
        Assert.Equal(300, result.Get());
    }

    [Fact]
    public async Task AsTask_completes_with_the_value_or_the_error()
    {
        Assert.Equal(9, await Pool.AddAsync(4, 5).AsTask());
        await Assert.ThrowsAsync<PoolTaskException>(() => Pool.FailAsync("t").AsTask());
        var results = Enumerable.Range(0, 50).Select(i => Pool.AddAsync(i, 1).AsTask());
        Assert.Equal(Enumerable.Range(1, 50), await Task.WhenAll(results));
    }

    [Fact]
    public async Task Many_awaiters_and_waiters_of_one_result_all_see_it()
    {
        var result = Pool.SleepMsAsync(150);
        var awaiters = Enumerable.Range(0, 5).Select(async _ => await result).ToList();
        var blockers = Enumerable.Range(0, 3).Select(_ => Task.Run(() => result.Get(TimeSpan.FromSeconds(30)))).ToList();
        var task = result.AsTask();

        Assert.All(await Task.WhenAll(awaiters), v => Assert.Equal(150, v));
        Assert.All(await Task.WhenAll(blockers), v => Assert.Equal(150, v));
        Assert.Equal(150, await task);
    }

    [Fact]
    public async Task Cancelling_a_task_that_takes_a_token_cancels_it_in_the_worker()
    {
        using var cancellation = new CancellationTokenSource();
        var result = Pool.WaitForCancelAsync(60_000, cancellation.Token);
        await Task.Delay(100);

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await result);
        // The worker was told and stopped, so it is free again right away.
        Assert.Equal(5, await Pool.AddAsync(2, 3).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_cancelled_token_fails_the_call_before_it_runs()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var result = Pool.AddAsync(1, 1, cancellation.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await result);
    }
}
