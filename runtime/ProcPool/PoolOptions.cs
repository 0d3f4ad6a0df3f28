using Microsoft.Extensions.Logging;
using ProcPool.Protocol;
using ProcPool.Serialization;

namespace ProcPool;

/// <summary>How a <see cref="WorkerPool"/> is built: Python's <c>Pool(processes, initializer, initargs, maxtasksperchild)</c> and more.</summary>
public sealed class PoolOptions
{
    /// <summary>Number of worker processes (Python's <c>processes</c>). Defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Where the tasks run: worker processes (the default), or the thread pool of this process for debugging.</summary>
    public PoolMode Mode { get; set; } = PoolMode.Processes;

    /// <summary>
    /// A <see cref="PoolInitializerAttribute"/> method and its arguments, run once in every worker before its first
    /// task, and again in every replacement worker (Python's <c>initializer</c> and <c>initargs</c>). Create it with
    /// <see cref="PoolInitializer.Create(Action)"/> and its overloads.
    /// </summary>
    public PoolInitializer? Initializer { get; set; }

    /// <summary>
    /// Replace a worker after it has run this many calls (Python's <c>maxtasksperchild</c>); null keeps workers for
    /// the pool's life. A chunk of a map counts as one call, as in Python. The replacement starts while the old
    /// worker finishes, so queued work is neither lost nor held up.
    /// </summary>
    public int? MaxTasksPerWorker { get; set; }

    /// <summary>
    /// The longest a task may run in its worker (a chunk of a map: this much per item). Past it the task fails with
    /// <see cref="TimeoutException"/> and its worker is killed and replaced. Null for no limit. A single call can set
    /// its own with <see cref="PoolResult.WithTimeout"/>.
    /// </summary>
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary>
    /// How long a cancelled task that is already running may take to stop before its worker is killed and replaced.
    /// A task that takes a <see cref="CancellationToken"/> usually stops well within it.
    /// </summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times to run a task again, on another worker, when the worker running it dies (for idempotent work).
    /// 0, the default, fails the task with <see cref="WorkerCrashedException"/> at once.
    /// </summary>
    public int RetryCrashedTasks { get; set; }

    /// <summary>
    /// How long <see cref="WorkerPool.StartAsync"/> waits for a worker to come up before failing; a worker that has not
    /// also loaded its task assemblies by then is killed (its calls fail as if it had crashed) and replaced.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest message (a call with its arguments, or a result) in bytes. Larger ones fail with <see cref="PoolSerializationException"/>.</summary>
    public int MaxFrameSize { get; set; } = ProtocolConstants.DefaultMaxFrameSize;

    /// <summary>
    /// Bytes of shared memory per worker and direction for large messages (Linux): a call or result of 64 KiB or more
    /// is copied into it instead of being written through the pipe, about twice as fast for megabyte payloads.
    /// Pages are only used once touched, up to the largest message sent. Messages larger than this, or sent while
    /// it is full, go through the pipe. 0 turns it off. Default 16 MiB.
    /// </summary>
    public int SharedMemorySize { get; set; } = 16 * 1024 * 1024;

    /// <summary>The deepest nesting of objects accepted when decoding arguments and results.</summary>
    public int MaxDepth { get; set; } = PoolReader.DefaultMaxDepth;

    /// <summary>
    /// Path of <c>ProcPool.Worker.dll</c>, the worker host. By default it is found among the application's
    /// assemblies (it comes with the ProcPool package or project reference).
    /// </summary>
    public string? WorkerHostPath { get; set; }

    /// <summary>
    /// An executable to start as each worker, directly, instead of <c>dotnet exec ProcPool.Worker.dll</c>: usually a
    /// worker host published with NativeAOT that references the task assemblies. Its <c>Main</c> must hand the command
    /// line to <see cref="Hosting.WorkerEntryPoint.Run"/> or <see cref="Hosting.WorkerEntryPoint.TryRun"/>. A native
    /// worker starts in a fraction of the time a worker on the shared runtime takes (no runtime to start, nothing to
    /// JIT-compile); it must contain the tasks the pool calls, built from the same source. A relative path is looked
    /// for next to the application first (<c>native-worker/MyWorker</c>), then in the current directory. See docs/native-workers.md.
    /// Null, the default, uses <see cref="WorkerHostPath"/>; in an application published with NativeAOT whose
    /// <c>Main</c> calls <see cref="Hosting.WorkerEntryPoint.TryRun"/>, it uses the application's own executable.
    /// </summary>
    public string? WorkerExecutable { get; set; }

    /// <summary>
    /// Receives each line a worker writes to its stdout or stderr, with the worker's number. By default the lines
    /// go to this process's stderr as <c>[worker N] line</c>.
    /// </summary>
    public Action<WorkerOutputLine>? WorkerOutput { get; set; }

    /// <summary>Where the pool reports worker starts, exits and replacements. Optional.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Extra environment variables for worker processes (they inherit this process's environment).</summary>
    public IDictionary<string, string?> WorkerEnvironment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    internal void Validate()
    {
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "A pool needs at least one worker.");
        if (WorkerExecutable is not null && WorkerHostPath is not null)
            throw new ArgumentException("Set either PoolOptions.WorkerExecutable (a worker started directly) or PoolOptions.WorkerHostPath (ProcPool.Worker.dll under dotnet exec), not both.");
        if (StartTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(StartTimeout), StartTimeout, "The start timeout must be positive.");
        if (SharedMemorySize < 0) throw new ArgumentOutOfRangeException(nameof(SharedMemorySize), SharedMemorySize, "The shared memory size cannot be negative (0 turns it off).");
        if (MaxFrameSize < 1024) throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "The maximum frame size must be at least 1024 bytes.");
        if (MaxDepth < 1) throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "The maximum depth must be at least 1.");
        if (MaxTasksPerWorker is < 1) throw new ArgumentOutOfRangeException(nameof(MaxTasksPerWorker), MaxTasksPerWorker, "MaxTasksPerWorker must be at least 1 (or null for no limit).");
        if (TaskTimeout is { } timeout && timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TaskTimeout), TaskTimeout, "The task timeout must be positive (or null for none).");
        if (CancelGracePeriod < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CancelGracePeriod), CancelGracePeriod, "The grace period cannot be negative.");
        if (RetryCrashedTasks < 0) throw new ArgumentOutOfRangeException(nameof(RetryCrashedTasks), RetryCrashedTasks, "The retry count cannot be negative.");
    }
}

/// <summary>Where a pool runs its tasks.</summary>
public enum PoolMode
{
    /// <summary>In worker processes: isolation from crashes, leaks and static state, and real parallelism.</summary>
    Processes,

    /// <summary>
    /// On this process's thread pool, through the same encode/decode path, so arguments and results behave exactly
    /// as across processes. For debugging and fast unit tests of tasks; no isolation.
    /// </summary>
    InProcess,
}

/// <summary>A line a worker wrote to its standard output or error.</summary>
/// <param name="WorkerId">The pool's number for the worker.</param>
/// <param name="ProcessId">The worker's process id.</param>
/// <param name="IsError">True for stderr, false for stdout.</param>
/// <param name="Line">The text, without the line break.</param>
public readonly record struct WorkerOutputLine(int WorkerId, int ProcessId, bool IsError, string Line);
