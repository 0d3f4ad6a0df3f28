using System.ComponentModel;

namespace ProcPool.Hosting;

/// <summary>
/// The entry point of a worker process (the <c>ProcPool.Worker</c> host calls it from <c>Main</c>). Not for
/// application code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WorkerEntryPoint
{
    /// <summary>True if <paramref name="args"/> is a worker command line.</summary>
    public static bool IsWorkerCommandLine(string[] args) => WorkerArguments.TryParse(args) is not null;

    /// <summary>Runs the worker loop until the parent closes the pipes; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var parsed = WorkerArguments.TryParse(args);
        if (parsed is null)
        {
            Console.Error.WriteLine("ProcPool.Worker is started by a WorkerPool, not by hand. Expected: --procpool-worker <id> <in> <out> <control> <maxFrameSize> <maxDepth>.");
            return 2;
        }
        using var host = WorkerHost.FromInheritedPipes(parsed);
        return host.Run();
    }
}
