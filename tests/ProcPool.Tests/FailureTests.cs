namespace ProcPool.Tests;

/// <summary>A task's exception crosses back as data, with its type, message and stack.</summary>
[Collection(SharedPoolCollection.Name)]
public class FailureTests(PoolFixture fixture)
{
    private WorkerPool Pool => fixture.Pool;

    [Fact]
    public async Task Exception_arrives_with_remote_type_message_and_stack()
    {
        var result = Pool.FailAsync("boom");

        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await result);
        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("boom", error.RemoteMessage);
        Assert.Equal("TestTasks.Fail", error.TaskName);
        Assert.Contains("TestTasks.Fail", error.RemoteStackTrace);
        Assert.Contains("boom", error.Message);
        Assert.Contains("InvalidOperationException", error.Message);
        Assert.NotEqual(Environment.ProcessId, error.WorkerProcessId);
        Assert.True(result.IsReady);
        Assert.False(result.IsSuccessful);
        Assert.Same(error, result.Exception);
    }

    [Fact]
    public async Task Inner_exceptions_and_string_data_come_along()
    {
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await Pool.ApplyAsync(TestTasks.FailWithInner, "x"));

        Assert.Equal("System.ArgumentException", error.RemoteType);
        Assert.Equal("look at the inner one", error.Data["hint"]);
        var inner = Assert.IsType<PoolTaskException>(error.InnerException);
        Assert.Equal("System.FormatException", inner.RemoteType);
        Assert.Equal("inner: x", inner.RemoteMessage);
    }

    [Fact]
    public void Blocking_get_throws_the_same_exception()
    {
        var error = Assert.Throws<PoolTaskException>(() => Pool.Apply(TestTasks.Fail, "sync"));
        Assert.Equal("sync", error.RemoteMessage);
    }

    [Fact]
    public async Task Async_task_failure_is_reported_like_a_synchronous_one()
    {
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await Pool.FailLaterAsync("later"));
        Assert.Equal("System.NotSupportedException", error.RemoteType);
        Assert.Equal("later", error.RemoteMessage);
    }

    [Fact]
    public async Task The_pool_keeps_working_after_failures()
    {
        for (int i = 0; i < 20; i++)
            await Assert.ThrowsAsync<PoolTaskException>(async () => await Pool.FailAsync("again"));
        Assert.Equal(3, await Pool.AddAsync(1, 2));
    }
}
