namespace ProcPool.Hosting;

/// <summary>
/// The entry point of a worker process. <c>ProcPool.Worker.dll</c> calls it from its <c>Main</c>; so does an executable
/// named in <see cref="PoolOptions.WorkerExecutable"/>, such as an application published with NativeAOT that starts
/// its own workers (Python's spawn start method, which runs the main program again in each worker):
/// <code>
/// static int Main(string[] args)
/// {
///     if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;
///     // the application
/// }
/// </code>
/// </summary>
public static class WorkerEntryPoint
{
    /// <summary>True if <paramref name="args"/> is a worker command line (one a pool starts a worker with).</summary>
    public static bool IsWorkerCommandLine(string[] args) => WorkerArguments.TryParse(args) is not null;

    /// <summary>
    /// If <paramref name="args"/> is a worker command line, runs the worker loop until the pool lets the worker go and
    /// returns true with the exit code for <c>Main</c> to return; otherwise returns false at once.
    /// </summary>
    /// <remarks>
    /// A call that returns false also tells ProcPool that this program can be its own worker. In an application
    /// published with NativeAOT, which cannot run the shared-runtime worker host, pools and
    /// <see cref="WorkerProcess"/> then start this program's executable as their workers by default (Python's spawn).
    /// </remarks>
    public static bool TryRun(string[] args, out int exitCode)
    {
        var parsed = WorkerArguments.TryParse(args);
        if (parsed is null)
        {
            ApplicationIsWorkerHost = true;
            exitCode = 0;
            return false;
        }
        exitCode = RunParsed(parsed);
        return true;
    }

    /// <summary>True once this program's <c>Main</c> has called <see cref="TryRun"/>: its executable can serve as a worker.</summary>
    internal static bool ApplicationIsWorkerHost { get; private set; }

    /// <summary>Runs the worker loop until the parent closes the pipes; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var parsed = WorkerArguments.TryParse(args);
        if (parsed is null)
        {
            Console.Error.WriteLine("ProcPool.Worker is started by a WorkerPool, not by hand. Expected: --procpool-worker <id> <in> <out> <control> <maxFrameSize> <maxDepth>.");
            return 2;
        }
        return RunParsed(parsed);
    }

    private static int RunParsed(WorkerArguments parsed)
    {
        using var host = WorkerHost.FromInheritedPipes(parsed);
        return host.Run();
    }
}
