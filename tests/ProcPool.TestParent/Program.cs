using ProcPool;
using ProcPool.Hosting;
using ProcPool.TestTasks;

// Usage: ProcPool.TestParent <workers>
// Starts a pool, keeps one worker busy in a long task, prints "WORKERS <pid> <pid>..." and waits to be killed.
// Also its own worker executable (NativeWorkerTests): a pool started with PoolOptions.WorkerExecutable naming this
// program runs its workers here.
if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;

int workers = args.Length > 0 ? int.Parse(args[0]) : 2;
var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = workers });
var busy = pool.ApplyAsync(LibraryTasks.SleepMilliseconds, 600_000);
// Give the long task a moment to reach its worker, so the test covers a busy worker as well as idle ones.
await Task.Delay(200);
Console.WriteLine("WORKERS " + string.Join(' ', pool.WorkerProcessIds));
Console.Out.Flush();
await Task.Delay(Timeout.Infinite);
GC.KeepAlive(busy);
return 0;
