using System.Collections.ObjectModel;

namespace ProcPool;

/// <summary>
/// A task threw in its worker. The remote exception cannot be re-created in the parent (its type may not even
/// exist here, and ProcPool never instantiates types named on the wire), so it arrives as data:
/// <see cref="RemoteType"/>, <see cref="RemoteMessage"/>, <see cref="RemoteStackTrace"/>, inner exceptions as
/// nested <see cref="PoolTaskException"/>s, and the string entries of <see cref="Exception.Data"/>.
/// </summary>
public sealed class PoolTaskException : Exception
{
    /// <summary>Creates the exception from the data a worker sent.</summary>
    public PoolTaskException(
        string taskName,
        string remoteType,
        string remoteMessage,
        string? remoteStackTrace,
        IReadOnlyList<PoolTaskException>? innerExceptions = null,
        int workerId = 0,
        int workerProcessId = 0,
        long? itemIndex = null)
        : base(BuildMessage(taskName, remoteType, remoteMessage, workerId, workerProcessId, itemIndex),
               innerExceptions is { Count: > 0 } ? innerExceptions[0] : null)
    {
        TaskName = taskName;
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
        InnerExceptions = new ReadOnlyCollection<PoolTaskException>(innerExceptions?.ToArray() ?? []);
        WorkerId = workerId;
        WorkerProcessId = workerProcessId;
        ItemIndex = itemIndex;
    }

    /// <summary>For a failure inside <c>Map</c>, <c>IMap</c> or <c>StarMap</c>: the position of the item that failed, counted from 0.</summary>
    public long? ItemIndex { get; }

    /// <summary>The task that failed, as <c>Type.Method</c>.</summary>
    public string TaskName { get; }

    /// <summary>Full name of the exception type thrown in the worker, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string RemoteType { get; }

    /// <summary>The message of the exception thrown in the worker.</summary>
    public string RemoteMessage { get; }

    /// <summary>The stack trace in the worker, where the exception was thrown.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>Inner exceptions of the remote exception (all of them for an <see cref="AggregateException"/>).</summary>
    public IReadOnlyList<PoolTaskException> InnerExceptions { get; }

    /// <summary>The pool's number for the worker that ran the task (0 in-process).</summary>
    public int WorkerId { get; }

    /// <summary>Process id of the worker that ran the task.</summary>
    public int WorkerProcessId { get; }

    /// <inheritdoc />
    public override string? StackTrace =>
        RemoteStackTrace is null ? base.StackTrace : $"{RemoteStackTrace}{Environment.NewLine}   --- end of stack trace in worker ---{Environment.NewLine}{base.StackTrace}";

    private static string BuildMessage(string task, string type, string message, int workerId, int pid, long? itemIndex)
    {
        string item = itemIndex is { } index ? $" on item {index}" : "";
        return workerId > 0
            ? $"Task {task} failed{item} in worker {workerId} (pid {pid}): {type}: {message}"
            : $"Task {task} failed{item}: {type}: {message}";
    }
}
