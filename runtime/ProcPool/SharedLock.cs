using Microsoft.Win32.SafeHandles;
using ProcPool.Sharing;

namespace ProcPool;

/// <summary>
/// A lock shared by processes: Python's <c>multiprocessing.Lock</c>. Create one in the parent and pass it to tasks as an
/// argument; what crosses is its identity (the path of a lock file in a private directory), and every process that
/// receives it locks the same file. Only one holder at a time, across all processes and threads. A holder that dies
/// (killed, crashed) releases it: the OS drops the lock with the process.
/// </summary>
/// <remarks>
/// Like Python's <c>Lock</c> (not <c>RLock</c>) it is not re-entrant: acquiring it again while holding it waits for
/// yourself. Any thread of the holding process may <see cref="Release"/> it. Linux only for now (flock(2) on a file in a
/// mode-0700 directory); see docs/shared-objects.md for what Windows would use.
/// </remarks>
/// <example>
/// <code>
/// using var gate = SharedLock.Create();
/// await pool.PrintUnderLockAsync(gate, "hello world");
///
/// [PoolTask]
/// public static void PrintUnderLock(SharedLock gate, string text)
/// {
///     using (gate.Acquire()) Console.WriteLine(text);
/// }
/// </code>
/// </example>
public sealed class SharedLock : IDisposable
{
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(10);

    private readonly string? _ownedDirectory;
    private readonly object _gate = new();
    private SafeFileHandle? _held;
    private bool _disposed;

    private SharedLock(string path, string? ownedDirectory)
    {
        Path = path;
        _ownedDirectory = ownedDirectory;
    }

    /// <summary>The lock file: the lock's identity, which is what travels to a worker.</summary>
    public string Path { get; }

    /// <summary>True while this process holds the lock (taken through this instance).</summary>
    public bool IsHeld
    {
        get { lock (_gate) return _held is not null; }
    }

    /// <summary>
    /// Creates a new lock: a lock file in a fresh directory only this user can enter. Dispose it when every task that
    /// uses it is done; that deletes the file.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static SharedLock Create()
    {
        if (!OperatingSystem.IsLinux()) throw NotSupported();
        string directory = PrivateDirectory.Create("lock");
        string path = System.IO.Path.Combine(directory, "lock");
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
        }
        return new SharedLock(path, directory);
    }

    /// <summary>
    /// Opens the lock another process created, by its <see cref="Path"/>. Generated code does this when a task receives a
    /// <see cref="SharedLock"/>; you need it only to share a lock with a process outside the pool.
    /// </summary>
    public static SharedLock Open(string path)
    {
        if (!OperatingSystem.IsLinux()) throw NotSupported();
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new SharedLock(path, ownedDirectory: null);
    }

    /// <summary>Waits until the lock is free and takes it. Dispose the returned scope (or call <see cref="Release"/>) to let it go.</summary>
    public SharedLockScope Acquire(CancellationToken cancellationToken = default)
    {
        TryAcquireCore(Timeout.InfiniteTimeSpan, cancellationToken);
        return new SharedLockScope(this);
    }

    /// <summary>Takes the lock if it becomes free within <paramref name="timeout"/> (zero: only if it is free now); false otherwise.</summary>
    public bool TryAcquire(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ValidateTimeout(timeout);
        return TryAcquireCore(timeout, cancellationToken);
    }

    /// <summary>Waits, without blocking a thread, until the lock is free and takes it.</summary>
    public async ValueTask<SharedLockScope> AcquireAsync(CancellationToken cancellationToken = default)
    {
        await TryAcquireCoreAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return new SharedLockScope(this);
    }

    /// <summary>Takes the lock if it becomes free within <paramref name="timeout"/>, without blocking a thread; false otherwise.</summary>
    public ValueTask<bool> TryAcquireAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ValidateTimeout(timeout);
        return TryAcquireCoreAsync(timeout, cancellationToken);
    }

    /// <summary>Lets the lock go. Throws if this process does not hold it (through this instance).</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void Release()
    {
        SafeFileHandle held;
        lock (_gate)
        {
            held = _held ?? throw new InvalidOperationException($"Release of a SharedLock that is not held ({Path}).");
            _held = null;
        }
        // Closing the only descriptor of the open file drops the flock.
        held.Dispose();
    }

    /// <summary>Releases the lock if held; in the process that created it, also deletes the lock file and its directory.</summary>
    public void Dispose()
    {
        SafeFileHandle? held;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            held = _held;
            _held = null;
        }
        held?.Dispose();
        if (_ownedDirectory is not null) PrivateDirectory.TryDelete(_ownedDirectory);
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedLock({Path})";

    private bool TryAcquireCore(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long deadline = Deadline(timeout);
        for (int attempt = 0; ; attempt++)
        {
            if (TryTake()) return true;
            if (Expired(deadline)) return false;
            cancellationToken.ThrowIfCancellationRequested();
            if (attempt < 10) Thread.Yield();
            else if (cancellationToken.WaitHandle.WaitOne(PollDelay(attempt))) cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async ValueTask<bool> TryAcquireCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long deadline = Deadline(timeout);
        for (int attempt = 0; ; attempt++)
        {
            if (TryTake()) return true;
            if (Expired(deadline)) return false;
            await Task.Delay(attempt < 10 ? TimeSpan.FromMilliseconds(1) : PollDelay(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One attempt: a fresh descriptor each time, because flock belongs to the open file, so two threads of one process
    /// sharing a descriptor would both "hold" the lock.
    /// </summary>
    private bool TryTake()
    {
        lock (_gate) ObjectDisposedException.ThrowIf(_disposed, this);
        var handle = UnixFileLock.Open(Path);
        try
        {
            if (!UnixFileLock.TryLock(handle))
            {
                handle.Dispose();
                return false;
            }
            lock (_gate)
            {
                if (_disposed)
                {
                    handle.Dispose();
                    throw new ObjectDisposedException(nameof(SharedLock));
                }
                // flock already excludes every other descriptor, so no other thread can be holding it here.
                _held = handle;
            }
            return true;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // flock has no timed wait, so a waiter polls: a few immediate retries, then sleeps that grow to 10 ms. A lock held
    // for microseconds is taken almost at once; a lock held for seconds costs a waiter a hundred wake-ups a second.
    private static TimeSpan PollDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(LongestPoll.TotalMilliseconds, 1 << Math.Min(attempt - 10, 4)));

    private static long Deadline(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);

    private static bool Expired(long deadline) => deadline != long.MaxValue && Environment.TickCount64 >= deadline;

    private static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more (or Timeout.InfiniteTimeSpan).");
    }

    private static PlatformNotSupportedException NotSupported() =>
        new("SharedLock is implemented for Linux (flock on a file in a private directory); see docs/shared-objects.md.");
}

/// <summary>Holds a <see cref="SharedLock"/> until disposed: <c>using (gate.Acquire()) { ... }</c>.</summary>
public readonly struct SharedLockScope : IDisposable
{
    private readonly SharedLock? _lock;

    internal SharedLockScope(SharedLock sharedLock) => _lock = sharedLock;

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock?.Release();
}
