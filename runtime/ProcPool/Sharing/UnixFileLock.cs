using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ProcPool.Sharing;

/// <summary>
/// <c>flock(2)</c> on a file descriptor of our own. .NET's <c>FileStream</c> is not used here because on Unix it takes
/// a lock of its own when it opens a file (shared or exclusive by <see cref="FileShare"/>), which would conflict with
/// the exclusive lock this is about. The kernel releases an flock when the last descriptor of the open file goes away,
/// which includes the holder's death: a killed worker never leaves the lock held.
/// </summary>
internal static partial class UnixFileLock
{
    // Linux values (x64 and arm64 alike). Other Unixes differ in O_CLOEXEC and EWOULDBLOCK; SharedLock checks the OS.
    private const int ReadOnly = 0x0;
    private const int CloseOnExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int ErrorWouldBlock = 11;
    private const int ErrorInterrupted = 4;

    /// <summary>Opens the lock file read-only (flock needs no write access) and close-on-exec, so a child process of the holder does not inherit the lock.</summary>
    public static SafeFileHandle Open(string path)
    {
        var handle = OpenFile(path, ReadOnly | CloseOnExec);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw errno == 2
                ? new ObjectDisposedException(nameof(SharedLock), $"The lock file {path} no longer exists: the SharedLock was disposed by the process that created it.")
                : new IOException($"Cannot open the lock file {path}: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
        return handle;
    }

    /// <summary>Tries to take the exclusive lock without waiting: true if taken, false if another descriptor holds it.</summary>
    public static bool TryLock(SafeFileHandle handle)
    {
        while (true)
        {
            if (Flock(handle, LockExclusive | LockNonBlocking) == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ErrorInterrupted) continue;
            if (errno == ErrorWouldBlock) return false;
            throw new IOException($"flock failed: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle handle, int operation);
}
