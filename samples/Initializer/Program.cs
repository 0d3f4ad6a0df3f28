// Per-worker state built once by a [PoolInitializer]: what Python's Pool(initializer=..., initargs=...) is for, and
// the answer to "you can't pass a Lock or a connection to a pool task". Each worker builds its own expensive
// resource (here a dictionary loaded from a "connection string") once; every task in that worker reuses it.
using Initializer;
using ProcPool;

var options = new PoolOptions
{
    Workers = 2,
    Initializer = PoolInitializer.Create(Catalog.Open, "catalog://products", 50_000),   // initializer=Open, initargs=(...)
};
await using var pool = await WorkerPool.StartAsync(options);

var lookups = Enumerable.Range(0, 12).Select(i => pool.ApplyAsync(Catalog.Lookup, i * 4_000)).ToList();
foreach (var lookup in lookups)
{
    var answer = await lookup;
    Console.WriteLine(answer);
}
Console.WriteLine("Each worker opened the catalog once (see 'opened #1' in every answer), however many lookups it served.");
