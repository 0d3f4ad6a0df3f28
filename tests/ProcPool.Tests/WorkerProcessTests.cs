namespace ProcPool.Tests;

/// <summary>WorkerProcess: one task in a fresh process of its own, like Python's Process.</summary>
[Collection(ProcessBurstCollection.Name)]
public class WorkerProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task It_runs_in_another_process_and_join_gives_its_result()
    {
        await using var process = WorkerProcess.Start(SharedTasks.WhoAmI);

        Assert.NotEqual(Environment.ProcessId, process.Pid);
        Assert.Matches(@"^WorkerProcess-\d+$", process.Name);
        Assert.True(process.Join(Patience));

        Assert.False(process.IsAlive);
        Assert.Equal(process.Pid, process.Result.Get());
        Assert.Equal(WorkerProcessOutcome.Succeeded, process.Outcome);
        Assert.Equal(0, process.ExitCode);
        Assert.Null(process.Exception);
        Assert.False(ProcessProbe.IsAlive(process.Pid));
    }

    [Fact]
    public async Task The_tasks_exception_arrives()
    {
        await using var process = await WorkerProcess.StartAsync(TestTasks.Fail, "boom");
        await process.JoinAsync().WaitAsync(Patience);

        Assert.Equal(WorkerProcessOutcome.Failed, process.Outcome);
        Assert.Equal(1, process.ExitCode);
        var error = Assert.IsType<PoolTaskException>(process.Exception);
        Assert.Contains("boom", error.Message);
        Assert.Throws<PoolTaskException>(() => process.Result.Get());
    }

    [Fact]
    public async Task Terminate_kills_a_running_process()
    {
        await using var process = WorkerProcess.Start(SharedTasks.SleepFor, 60_000);
        process.Name = "sleeper";
        Assert.True(process.IsAlive);
        Assert.Equal(WorkerProcessOutcome.Running, process.Outcome);
        Assert.Null(process.ExitCode);

        process.Terminate();

        Assert.True(process.Join(Patience));
        Assert.Equal(WorkerProcessOutcome.Cancelled, process.Outcome);
        Assert.Equal(-9, process.ExitCode);
        Assert.StartsWith("<sleeper pid ", process.ToString());
        Assert.False(ProcessProbe.IsAlive(process.Pid));
    }

    [Fact]
    public async Task A_process_that_dies_is_reported_as_crashed()
    {
        await using var process = WorkerProcess.Start(SharedTasks.KillSelf);

        Assert.True(process.Join(Patience));

        Assert.Equal(WorkerProcessOutcome.Crashed, process.Outcome);
        Assert.Equal(-9, Assert.IsType<WorkerCrashedException>(process.Exception).ExitCode);
        Assert.Equal(-9, process.ExitCode); // it killed itself with SIGKILL
    }

    [Fact]
    public async Task A_process_that_exits_mid_task_reports_its_exit_code()
    {
        await using var process = WorkerProcess.Start(SharedTasks.ExitWith, 3);

        Assert.True(process.Join(Patience));

        Assert.Equal(WorkerProcessOutcome.Crashed, process.Outcome);
        Assert.Equal(3, process.ExitCode);
    }

    [Fact]
    public async Task Ten_processes_share_one_lock()
    {
        using var gate = SharedLock.Create();
        string counter = Path.Combine(Path.GetDirectoryName(gate.Path)!, "counter");
        File.WriteAllText(counter, "0");

        var processes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => WorkerProcess.StartAsync(SharedTasks.IncrementUnderLock, gate, counter, 10)));
        try
        {
            foreach (var process in processes) Assert.True(process.Join(Patience));
            Assert.Equal(10, processes.Select(p => p.Pid).Distinct().Count());
            Assert.All(processes, p => Assert.Equal(p.Pid, p.Result.Get()));
            Assert.Equal("100", File.ReadAllText(counter));
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
        }
    }
}

/// <summary>
/// Tests that start many processes at once (ten WorkerProcesses) run alone, after the parallel ones, so their burst of
/// process starts on a 2-vCPU machine does not slow the timing-sensitive tests of other classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessBurstCollection
{
    public const string Name = "process bursts (run alone)";
}
