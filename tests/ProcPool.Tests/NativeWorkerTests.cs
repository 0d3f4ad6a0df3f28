using System.Runtime.InteropServices;
using ProcPool.Hosting;
using ProcPool.TestTasks;

namespace ProcPool.Tests;

/// <summary>
/// Workers started from <see cref="PoolOptions.WorkerExecutable"/>: the NativeAOT worker host that the build publishes
/// into native-worker/ (tests/ProcPool.NativeWorkerHost), and an application that is its own worker.
/// </summary>
public class NativeWorkerTests
{
    private static string NativeHost => Path.Combine(AppContext.BaseDirectory, "native-worker",
        OperatingSystem.IsWindows() ? "ProcPool.NativeWorkerHost.exe" : "ProcPool.NativeWorkerHost");

    private static PoolOptions NativeOptions(int workers = 2) => new() { Workers = workers, WorkerExecutable = NativeHost };

    /// <summary>The path a worker process runs, from /proc (Linux only).</summary>
    private static string ExecutableOf(int processId) => new FileInfo($"/proc/{processId}/exe").ResolveLinkTarget(returnFinalTarget: true)!.FullName;

    private sealed record ApplicationRun(int ProcessId, int ExitCode, string Output, string Errors);

    /// <summary>Runs the native host as an application (not a worker) until it exits, within a minute.</summary>
    private static async Task<ApplicationRun> RunNativeApplicationAsync(params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(NativeHost) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var application = System.Diagnostics.Process.Start(info)!;
        var output = application.StandardOutput.ReadToEndAsync();
        var errors = application.StandardError.ReadToEndAsync();
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await application.WaitForExitAsync(patience.Token);
        }
        finally
        {
            // It runs pools of its own: never leave it (or its workers) behind.
            if (!application.HasExited) application.Kill(entireProcessTree: true);
        }
        return new ApplicationRun(application.Id, application.ExitCode, await output, await errors);
    }

    [NativeWorkerFact]
    public async Task Calls_run_in_the_native_executable_and_return_real_values()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions());

        Assert.Equal(42L, await pool.MultiplyAsync(6, 7));
        Assert.Equal("hello native from ProcPool.TestTasks", await pool.GreetAsync("native"));
        Assert.Equal(5050L, await pool.TotalAsync([.. Enumerable.Range(1, 100)]));
        foreach (int pid in pool.WorkerProcessIds)
        {
            Assert.NotEqual(Environment.ProcessId, pid);
            Assert.Equal(Path.GetFullPath(NativeHost), ExecutableOf(pid));
        }
    }

    [NativeWorkerFact]
    public async Task Records_with_nested_lists_cross_to_a_native_worker_and_back()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions(workers: 1));

        string answer = await InternalCodecTasks.PromoteThroughPoolAsync(pool, "abc");

        Assert.Equal($"abc@{pool.WorkerProcessIds.Single()}|2|child", answer);
    }

    [NativeWorkerFact]
    public async Task Map_over_native_workers_returns_every_result_in_order()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions());

        long[] sums = await pool.MapAsync(LibraryTasks.Total, Enumerable.Range(0, 2_000).Select(i => new[] { i, i }), chunkSize: 50);

        Assert.Equal(2_000, sums.Length);
        for (int i = 0; i < sums.Length; i++) Assert.Equal(2L * i, sums[i]);
    }

    [NativeWorkerFact]
    public async Task A_task_that_throws_in_a_native_worker_fails_its_call_with_the_type_and_message()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions(workers: 1));

        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await pool.FailWithAsync("no luck here"));

        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Contains("no luck here", error.Message);
        Assert.Equal(12L, await pool.MultiplyAsync(3, 4));
    }

    [NativeWorkerFact]
    public async Task An_initializer_runs_in_each_native_worker_before_its_tasks()
    {
        var options = NativeOptions();
        options.Initializer = PoolInitializer.Create(LibraryTasks.SetPrefix, "native:");
        await using var pool = await WorkerPool.StartAsync(options);

        Assert.Equal("native:x", await pool.PrefixedAsync("x"));
    }

    [NativeWorkerFact]
    public async Task A_cancelled_task_stops_in_its_native_worker_which_goes_on()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions(workers: 1));
        int worker = pool.WorkerProcessIds.Single();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var waiting = pool.WaitForCancellationAsync(60_000, cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(worker, await pool.WaitForCancellationAsync(0, CancellationToken.None));
    }

    [NativeWorkerFact]
    public async Task Shared_locks_and_queues_cross_to_native_workers()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions());
        using var gate = SharedLock.Create();
        using var queue = SharedQueue<string>.Create();

        var puts = new[] { "a", "b", "c", "d" }.Select(text => pool.PutUnderLockAsync(gate, queue, text)).ToList();
        foreach (var put in puts) Assert.Contains(await put.AsTask().WaitAsync(TimeSpan.FromSeconds(60)), pool.WorkerProcessIds);

        var taken = Enumerable.Range(0, 4).Select(_ => queue.Get(TimeSpan.FromSeconds(30))).Order().ToArray();
        Assert.Equal(["a", "b", "c", "d"], taken);
    }

    [NativeWorkerFact]
    public async Task A_native_worker_that_exits_mid_task_is_reported_and_replaced_by_another_native_worker()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions(workers: 1));
        int before = pool.WorkerProcessIds.Single();

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(async () => await pool.ExitProcessAsync(7).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(7, crash.ExitCode);
        Assert.Equal(42L, await pool.MultiplyAsync(6, 7).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        int after = pool.WorkerProcessIds.Single();
        Assert.NotEqual(before, after);
        Assert.Equal(Path.GetFullPath(NativeHost), ExecutableOf(after));
    }

    [NativeWorkerFact]
    public async Task A_timeout_kills_a_native_worker_stuck_in_a_task()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions(workers: 1));

        int before = pool.WorkerProcessIds.Single();

        var stuck = pool.SleepMillisecondsAsync(60_000).WithTimeout(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<TimeoutException>(async () => await stuck.AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(20L, await pool.MultiplyAsync(4, 5).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(ProcessProbe.IsAlive(before));
    }

    [NativeWorkerFact]
    public async Task A_task_the_native_executable_does_not_contain_fails_its_call_and_says_what_to_do()
    {
        await using var pool = await WorkerPool.StartAsync(NativeOptions(workers: 1));

        // TestTasks.Add is declared in this test assembly, which the native host was not built with.
        var error = await Assert.ThrowsAsync<PoolTaskException>(async () => await pool.AddAsync(1, 2).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("does not contain", error.Message);
        Assert.Contains("ProcPool.Tests", error.Message);
        Assert.Contains(NativeHost, error.Message);
        // Only that call fails: the worker goes on with the tasks it has.
        Assert.Equal(6L, await pool.MultiplyAsync(2, 3));
    }

    [NativeWorkerFact]
    public async Task A_native_application_that_calls_TryRun_is_its_own_worker_by_default()
    {
        // The native host, started as an application: its pool and its WorkerProcess set no WorkerExecutable.
        var application = await RunNativeApplicationAsync();
        string[] lines = application.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(application.ExitCode == 0, $"exit code {application.ExitCode}: {application.Errors}");
        string[] pool = lines.Single(l => l.StartsWith("pool ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal("42", pool[1]);
        Assert.Equal(application.ProcessId.ToString(), pool[2]);
        Assert.Equal(2, pool.Length - 3);
        Assert.DoesNotContain(pool[2], pool[3..]);
        string[] process = lines.Single(l => l.StartsWith("process ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(["process", "hello", "process", "from", "ProcPool.TestTasks"], process[..5]);
        Assert.NotEqual(application.ProcessId.ToString(), process[5]);
        Assert.Equal("0", process[6]);
    }

    [NativeWorkerFact]
    public async Task A_native_application_that_names_the_shared_runtime_worker_host_is_refused_with_the_reason()
    {
        var application = await RunNativeApplicationAsync("--worker-host-path", "/opt/app/ProcPool.Worker.dll");

        string line = application.Output.Trim();
        Assert.StartsWith("refused ", line, StringComparison.Ordinal);
        Assert.Contains("/opt/app/ProcPool.Worker.dll", line);
        Assert.Contains("WorkerExecutable", line);
    }

    [Fact]
    public async Task An_application_can_be_its_own_worker_executable()
    {
        // ProcPool.TestParent starts Main with WorkerEntryPoint.TryRun, so its apphost serves as a worker.
        string parent = Path.Combine(TestPaths.OutputOf("ProcPool.TestParent"), OperatingSystem.IsWindows() ? "ProcPool.TestParent.exe" : "ProcPool.TestParent");
        await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, WorkerExecutable = parent });

        Assert.Equal("hello self from ProcPool.TestTasks", await pool.GreetAsync("self"));
        if (OperatingSystem.IsLinux()) Assert.Equal(Path.GetFullPath(parent), ExecutableOf(pool.WorkerProcessIds.Single()));
    }

    [Fact]
    public async Task A_missing_worker_executable_fails_StartAsync_with_its_path()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            WorkerPool.StartAsync(new PoolOptions { Workers = 1, WorkerExecutable = "/nowhere/my-worker" }));

        Assert.Contains("/nowhere/my-worker", error.Message);
        Assert.Contains("WorkerEntryPoint.TryRun", error.Message);
    }

    [Fact]
    public async Task Naming_both_a_worker_executable_and_a_worker_host_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            WorkerPool.StartAsync(new PoolOptions { WorkerExecutable = "a", WorkerHostPath = "b" }));

        Assert.Contains("not both", error.Message);
    }

    [Fact]
    public void TryRun_does_nothing_for_an_ordinary_command_line()
    {
        Assert.False(WorkerEntryPoint.TryRun(["--verbose", "input.txt"], out int exitCode));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void TryRun_ends_a_process_started_with_a_worker_command_line_it_cannot_read()
    {
        // Another version's worker arguments, say: the application must not run as itself in a worker's process.
        Assert.True(WorkerEntryPoint.TryRun(["--procpool-worker", "1", "x"], out int exitCode));
        Assert.Equal(2, exitCode);
    }
}

/// <summary>A test that needs the native worker host, which the build publishes only where NativeAOT targets this machine.</summary>
public sealed class NativeWorkerFactAttribute : FactAttribute
{
    public NativeWorkerFactAttribute()
    {
        // The CI machine is linux-x64, where the host must exist (a missing one fails the test); elsewhere it is optional.
        if (!(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64))
            Skip = "The native worker host is built and tested on linux-x64.";
    }
}
