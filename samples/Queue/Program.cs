// "Queue in the process pool": a writer task puts the letters of "helloworld" on a queue that every worker can use;
// a reader task, started a second later, takes them.
//
//   q = Manager().Queue()
//   po = Pool()
//   po.apply_async(writer, (q,))
//   time.sleep(1)
//   po.apply_async(reader, (q,))
//   po.close(); po.join()
//
// SharedQueue<T> is owned by this process and served to the workers over a socket only this user can reach; the
// letters travel with the same generated codec as task arguments.
using ProcPool;
using Queue;

Console.WriteLine($"({Environment.ProcessId}) start");
using var q = SharedQueue<char>.Create();                              // q = Manager().Queue()
await using var po = await WorkerPool.StartAsync(new PoolOptions      // po = Pool()
{
    WorkerOutput = line => Console.WriteLine(line.Line),               // show the workers' prints as they are
});
var writer = po.ApplyAsync(QueueTasks.Writer, q);                      // po.apply_async(writer, (q,))
await Task.Delay(TimeSpan.FromSeconds(1));                             // time.sleep(1)
var reader = po.ApplyAsync(QueueTasks.Reader, q);                      // po.apply_async(reader, (q,))
po.Close();                                                            // po.close()
await po.JoinAsync();                                                  // po.join()
await writer;                                                          // unlike Python, a task's error is not lost:
await reader;                                                          // awaiting the results rethrows it here
Console.WriteLine($"({Environment.ProcessId}) End");
