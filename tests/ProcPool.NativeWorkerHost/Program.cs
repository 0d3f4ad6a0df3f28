// A native worker host: everything is in ProcPool.dll and the task assembly, compiled into this executable.
// Started with any other command line, it is a native application that starts its own pools, whose workers are this
// same executable (NativeWorkerTests checks what it prints).
using ProcPool;
using ProcPool.Hosting;
using ProcPool.TestTasks;

if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;

if (args is ["--worker-host-path", var path])
{
    // A native application can't run ProcPool.Worker.dll: naming it must fail clearly, not be ignored.
    try
    {
        await using var refused = await WorkerPool.StartAsync(new PoolOptions { Workers = 1, WorkerHostPath = path });
        Console.WriteLine("started");
    }
    catch (PlatformNotSupportedException e)
    {
        Console.WriteLine($"refused {e.Message}");
    }
    return 0;
}

await using (var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 }))
{
    long product = await pool.MultiplyAsync(6, 7);
    Console.WriteLine($"pool {product} {Environment.ProcessId} {string.Join(' ', pool.WorkerProcessIds)}");
}
var process = await WorkerProcess.StartAsync(LibraryTasks.Greet, "process");
process.Join(TimeSpan.FromSeconds(60));
Console.WriteLine($"process {process.Result.Get()} {process.Pid} {process.ExitCode}");
await process.DisposeAsync();
return 0;
