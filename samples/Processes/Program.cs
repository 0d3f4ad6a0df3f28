// "The Process Class": a child process that runs one function, its name and pid, waiting for it, and cpu_count().
//
//   p1 = multiprocessing.Process(target=myProcess)
//   p1.start()
//
// WorkerProcess.Start runs one [PoolTask] method in a fresh worker process, which exits when the task is done.
using ProcPool;
using Processes;

Console.WriteLine($"cpu_count() = {Environment.ProcessorCount}");                  // multiprocessing.cpu_count()

var p1 = WorkerProcess.Start(ProcessTasks.MyProcess);                               // p1 = Process(target=myProcess); p1.start()
Console.WriteLine($"{p1.Name}: pid {p1.Pid}, alive {p1.IsAlive}; this process is {Environment.ProcessId}"); // p1.name, p1.pid, p1.is_alive()
p1.Join();                                                                          // p1.join()
Console.WriteLine($"{p1.Name}: alive {p1.IsAlive}, exit code {p1.ExitCode} ({p1.Outcome})"); // p1.exitcode

var p2 = WorkerProcess.Start(ProcessTasks.Sum, 42, 43, 44);                         // Process(target=..., args=(42, 43), kwargs={"myParam1": 44})
p2.Name = "adder";                                                                  // the name is only a label: the OS knows nothing of it
p2.Join(TimeSpan.FromSeconds(30));                                                  // p2.join(timeout)
Console.WriteLine($"{p2.Name} (pid {p2.Pid}) returned {p2.Result.Get()}");          // what Python's Process can't: the target's result

await p1.DisposeAsync();
await p2.DisposeAsync();
