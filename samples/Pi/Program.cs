// Computing π with two apply_async halves on a pool of two worker processes: the example of
// "Programmer's Python: Async - The Process Pool", in ProcPool.
//
// Also a native application: published with NativeAOT (dotnet publish -c Release -r linux-x64 -p:PublishAot=true), its
// workers are this same executable, which is why Main hands a worker's command line to ProcPool first.
using System.Diagnostics;
using Pi;
using ProcPool;
using ProcPool.Hosting;

if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;

const long N = 10_000_000;

// with multiprocessing.pool.Pool(2) as p:
await using var pool = await WorkerPool.StartAsync(new PoolOptions { Workers = 2 });

var watch = Stopwatch.StartNew();
PoolResult<double> first = pool.ApplyAsync(PiTasks.PartialPi, 1L, N / 2);   // asr1 = p.apply_async(myPi, args=(1, N//2))
PoolResult<double> second = pool.PartialPiAsync(N / 2 + 1, N);               // the generated, typed stub does the same
double pi = first.Get();                                                     // PI = asr1.get()
pi += second.Get(TimeSpan.FromSeconds(30));                                  // PI += asr2.get(timeout)
watch.Stop();
Console.WriteLine($"pool of 2 workers: {watch.Elapsed.TotalMilliseconds:0.0} ms");
Console.WriteLine($"pi = {pi:R}");

watch.Restart();
double serial = PiTasks.PartialPi(1, N);
watch.Stop();
Console.WriteLine($"serial, this process: {watch.Elapsed.TotalMilliseconds:0.0} ms, pi = {serial:R}");

Console.WriteLine($"the halves ran in worker pids {first.WorkerProcessId} and {second.WorkerProcessId}; this process is pid {Environment.ProcessId}");
return 0;
