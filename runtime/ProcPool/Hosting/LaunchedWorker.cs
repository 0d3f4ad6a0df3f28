namespace ProcPool.Hosting;

/// <summary>
/// A worker process that has been started but not yet connected. Its output lines can arrive before the connection
/// exists; they are kept here, in order, and handed over when it does.
/// </summary>
internal sealed class LaunchedWorker
{
    private readonly object _gate = new();
    private List<(string? Line, bool IsError)>? _early = [];
    private Action<string?, bool>? _sink;

    private LaunchedWorker(int id) => Id = id;

    public int Id { get; }

    public WorkerProcessHandle Handle { get; private set; } = null!;

    /// <summary>Starts the process through <paramref name="launch"/>, which receives the callback for its output lines.</summary>
    public static LaunchedWorker Launch(int id, Func<Action<string?, bool>, WorkerProcessHandle> launch)
    {
        var launched = new LaunchedWorker(id);
        launched.Handle = launch(launched.OnOutput);
        return launched;
    }

    /// <summary>Sends the lines kept so far, then every later line, to <paramref name="sink"/>.</summary>
    public void DeliverOutputTo(Action<string?, bool> sink)
    {
        lock (_gate)
        {
            foreach (var (line, isError) in _early!) sink(line, isError);
            _early = null;
            Volatile.Write(ref _sink, sink);
        }
    }

    private void OnOutput(string? line, bool isError)
    {
        var sink = Volatile.Read(ref _sink);
        if (sink is null)
        {
            lock (_gate)
            {
                sink = _sink;
                if (sink is null)
                {
                    _early!.Add((line, isError));
                    return;
                }
            }
        }
        sink(line, isError);
    }
}
