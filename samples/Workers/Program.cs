// The pool of three from "Python | Use of process pool": ten tasks with random sleeps; each idle worker takes the
// next one. Each task prints when it starts (with its worker's process id) and how long it took, in the worker;
// close() and join() wait for all of them.
using ProcPool;
using Workers;

var options = new PoolOptions
{
    Workers = 3,                                                   // po = Pool(3)
    WorkerOutput = line => Console.WriteLine(line.Line),           // show the workers' prints as they are
};
await using var pool = await WorkerPool.StartAsync(options);

var results = new List<PoolResult<TimeSpan>>();
for (int i = 0; i < 10; i++)
    results.Add(pool.ApplyAsync(WorkerTasks.Worker, i));          // po.apply_async(worker, (i,))

Console.WriteLine("----start----");
pool.Close();                                                      // po.close()
await pool.JoinAsync();                                            // po.join()
Console.WriteLine("-----end-----");

// What Python's version can't show without more code: who ran what, from the results themselves.
Console.WriteLine();
Console.WriteLine("task  worker pid  time");
for (int i = 0; i < results.Count; i++)
    Console.WriteLine($"{i,4}  {results[i].WorkerProcessId,10}  {results[i].Get().TotalSeconds:0.00} s");
Console.WriteLine($"{results.Select(r => r.WorkerProcessId).Distinct().Count()} worker processes; this process is {Environment.ProcessId}");
