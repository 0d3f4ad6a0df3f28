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
    /// <remarks>
    /// Like <see cref="TryRun"/>, a call that returns false tells ProcPool that this program can be its own worker
    /// (the pattern <c>if (IsWorkerCommandLine(args)) return Run(args);</c>).
    /// </remarks>
    public static bool IsWorkerCommandLine(string[] args)
    {
        bool worker = WorkerArguments.TryParse(args) is not null;
        if (!worker) ApplicationIsWorkerHost = true;
        return worker;
    }

    /// <summary>
    /// If <paramref name="args"/> is a worker command line, runs the worker loop until the pool lets the worker go and
    /// returns true with the exit code for <c>Main</c> to return; otherwise returns false at once. A command line that
    /// has the worker marker (<c>--procpool-worker</c>) but cannot be read, such as one from another version of
    /// ProcPool, also returns true, with exit code 2 and a message on stderr: the application must not run as itself
    /// in a process that a pool started as a worker.
    /// </summary>
    /// <remarks>
    /// A call that returns false also tells ProcPool that this program can be its own worker. In an application
    /// published with NativeAOT, which cannot run the shared-runtime worker host, pools and
    /// <see cref="WorkerProcess"/> then start this program's executable as their workers by default (Python's spawn).
    /// </remarks>
    public static bool TryRun(string[] args, out int exitCode)
    {
        var parsed = WorkerArguments.TryParse(args);
        if (parsed is not null)
        {
            exitCode = RunParsed(parsed);
            return true;
        }
        if (Array.IndexOf(args, WorkerArguments.Sentinel) >= 0)
        {
            Console.Error.WriteLine(UnreadableCommandLine);
            exitCode = 2;
            return true;
        }
        ApplicationIsWorkerHost = true;
        exitCode = 0;
        return false;
    }

    /// <summary>True once this program has called <see cref="TryRun"/> or <see cref="IsWorkerCommandLine"/>: its executable can serve as a worker.</summary>
    internal static bool ApplicationIsWorkerHost { get; private set; }

    /// <summary>Runs the worker loop until the parent closes the pipes; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var parsed = WorkerArguments.TryParse(args);
        if (parsed is null)
        {
            Console.Error.WriteLine(UnreadableCommandLine);
            return 2;
        }
        return RunParsed(parsed);
    }

    private const string UnreadableCommandLine =
        "A ProcPool worker is started by a WorkerPool, not by hand. Expected: --procpool-worker <id> <in> <out> <control> <maxFrameSize> <maxDepth>.";

    private static int RunParsed(WorkerArguments parsed)
    {
        using var host = WorkerHost.FromInheritedPipes(parsed);
        return host.Run();
    }
}
