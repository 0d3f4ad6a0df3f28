// "Synchronization between processes": ten processes, one lock, so only one of them prints at a time.
//
//   lock = Lock()
//   for num in range(10):
//       Process(target=my_function, args=(lock, num)).start()
//
// SharedLock is a lock every process can take: what crosses to each worker is its identity (a lock file in a
// directory only this user can enter), and a process that dies holding it lets it go.
using Locks;
using ProcPool;

using var gate = SharedLock.Create();                                  // lock = Lock()
var processes = new List<WorkerProcess>();
for (int num = 0; num < 10; num++)
    processes.Add(WorkerProcess.Start(LockTasks.MyFunction, gate, num)); // Process(target=my_function, args=(lock, num)).start()

// Python's main process waits for its non-daemon children at exit; here we say so.
foreach (var process in processes)
{
    process.Join();
    await process.DisposeAsync();
}
Console.WriteLine($"{processes.Count} processes ({string.Join(", ", processes.Select(p => p.Pid))}) shared one lock; this process is {Environment.ProcessId}");
