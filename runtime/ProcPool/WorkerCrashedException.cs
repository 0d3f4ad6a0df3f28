namespace ProcPool;

/// <summary>
/// The worker running a task died before answering (killed, <c>Environment.FailFast</c>, a stack overflow,
/// a native crash, out of memory). Only the task it was running fails with this; tasks queued behind it are
/// sent to other workers, and the pool replaces the worker.
/// </summary>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerCrashedException(string taskName, int workerId, int processId, string exitDescription, IReadOnlyList<string> lastStandardError, Exception? innerException = null, int? exitCode = null)
        : base(BuildMessage(taskName, workerId, processId, exitDescription, lastStandardError), innerException)
    {
        TaskName = taskName;
        WorkerId = workerId;
        ProcessId = processId;
        ExitDescription = exitDescription;
        LastStandardError = lastStandardError;
        ExitCode = exitCode;
    }

    /// <summary>The task the worker was running, as <c>Type.Method</c>.</summary>
    public string TaskName { get; }

    /// <summary>The pool's number for the worker.</summary>
    public int WorkerId { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>How the worker ended: an exit code or the signal that killed it.</summary>
    public string ExitDescription { get; }

    /// <summary>
    /// How the worker ended as a number, in Python's <c>exitcode</c> convention: its exit code, or minus the number of
    /// the signal that killed it (-9 for SIGKILL, -6 for an abort or a stack overflow); null if not known.
    /// </summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the worker wrote to its standard error.</summary>
    public IReadOnlyList<string> LastStandardError { get; }

    private static string BuildMessage(string task, int workerId, int pid, string exit, IReadOnlyList<string> stderr)
    {
        var message = $"Worker {workerId} (pid {pid}) died while running {task}: {exit}.";
        if (stderr.Count > 0)
            message += " Last lines of its stderr:" + Environment.NewLine + string.Join(Environment.NewLine, stderr.Select(l => "  " + l));
        return message;
    }
}
