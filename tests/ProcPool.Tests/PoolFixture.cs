namespace ProcPool.Tests;

/// <summary>One pool of two workers shared by the tests of a collection (starting workers costs tens of milliseconds each).</summary>
public sealed class PoolFixture : IAsyncLifetime
{
    private readonly List<WorkerOutputLine> _output = [];

    public WorkerPool Pool { get; private set; } = null!;

    public IReadOnlyList<WorkerOutputLine> Output
    {
        get { lock (_output) return [.. _output]; }
    }

    public async Task InitializeAsync()
    {
        Pool = await WorkerPool.StartAsync(new PoolOptions
        {
            Workers = 2,
            WorkerOutput = line => { lock (_output) _output.Add(line); },
        });
    }

    public async Task DisposeAsync() => await Pool.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedPoolCollection : ICollectionFixture<PoolFixture>
{
    public const string Name = "shared pool";
}
