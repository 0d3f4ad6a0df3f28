// The end-to-end benchmark of issue 7: ProcPool against Python's pools and a process per call, in one run.
//   dotnet run -c Release --project bench/ProcPool.Bench -- [--quick] [--json FILE] [--no-python] [--only a,b,...] [--alloc-profile] [--cpu-profile]
using ProcPool;
using ProcPool.Bench;
using ProcPool.Bench.Measurement;
using ProcPool.Bench.Peers;
using ProcPool.Bench.Workloads;

var settings = BenchSettings.Parse(args);
var context = new BenchContext(settings);
using var sampler = settings.AllocationProfile ? new AllocationSampler() : null;
context.Log($"ProcPool benchmark{(settings.Quick ? " (quick)" : "")}: {BenchSettings.Workers} workers, {Environment.ProcessorCount} cores");

if (!settings.SkipPython && settings.Runs("peers"))
{
    context.Log("Python peer (bench/python/pool_baseline.py)");
    PythonPeer.Run(context);
}
if (settings.Runs("peers"))
{
    context.Log("Process.Start-per-call peer");
    ProcessPerCallPeer.Run(context);
}

if (settings.Runs("a"))
{
    context.Log("(a) start, (g) idle worker RSS");
    await StartWorkload.RunAsync(context);
}
await using (var pool = await WorkerPool.StartAsync(BenchContext.PoolOptions()))
{
    async Task Profiled(string name, Func<Task> run)
    {
        var cpu = settings.CpuProfile ? ThreadCpu.Start([Environment.ProcessId, .. pool.WorkerProcessIds]) : null;
        await run();
        if (cpu is null) return;
        Console.Error.WriteLine($"CPU per thread, {name}:");
        foreach (var line in cpu.Report()) Console.Error.WriteLine(line);
    }

    if (settings.Runs("b"))
    {
        context.Log("(b) throughput, (h) allocation");
        await Profiled("b", () => ThroughputWorkload.RunAsync(context, pool));
    }
    if (settings.Runs("c"))
    {
        context.Log("(c) map");
        await Profiled("c", () => MapWorkload.RunAsync(context, pool));
    }
    if (settings.Runs("d"))
    {
        context.Log("(d) latency");
        await Profiled("d", () => { LatencyWorkload.Run(context, pool); return Task.CompletedTask; });
    }
    if (settings.Runs("f"))
    {
        context.Log("(f) payloads");
        await Profiled("f", () => { PayloadWorkload.Run(context, pool); return Task.CompletedTask; });
    }
    if (settings.Runs("e"))
    {
        context.Log("(e) Pi");
        await Profiled("e", () => PiWorkload.RunAsync(context, pool));
    }
}
if (settings.Runs("g"))
{
    context.Log("(g) 100,000 queued calls");
    await QueuedMemoryWorkload.RunAsync(context);
}
if (settings.Runs("crash"))
{
    context.Log("crash detection latency");
    await CrashLatencyWorkload.RunAsync(context);
}
if (settings.Runs("soak"))
{
    context.Log("soak under a killer");
    await SoakWorkload.RunAsync(context);
}

var goals = Goals.Evaluate(context.Figures);
var machine = Machine.Describe(PythonPeer.Version);
Console.WriteLine();
Console.WriteLine($"Machine: {machine["cpu"]}, {machine["cores"]} cores, {machine["memory"]}; {machine["os"]}; {machine["dotnet"]}; Python {machine["python"]}");
Console.WriteLine();
Console.Write(Report.Tables(context.Figures, goals));
if (sampler is not null)
{
    Console.WriteLine();
    Console.WriteLine("Sampled allocations (one sample per ~100 KB):");
    foreach (var (type, bytes) in sampler.Top(25)) Console.WriteLine($"  {bytes / 1e6,10:0.0} MB  {type}");
}
if (settings.JsonPath is { } path)
{
    Report.WriteJson(path, context.Figures, goals, machine);
    context.Log($"JSON written to {path}");
}
context.Log($"done in {context.Elapsed.TotalSeconds:0.0} s");
return goals.Any(g => g.Id.StartsWith('r') && g.Met == false) ? 1 : 0;
