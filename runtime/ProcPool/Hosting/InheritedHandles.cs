using System.Runtime.InteropServices;

namespace ProcPool.Hosting;

/// <summary>
/// Marks the pipe handles a worker inherited as close-on-exec, so processes a task starts do not inherit them
/// too: a grandchild holding the pipes open would hide the worker's death from the parent and the parent's death
/// from the worker.
/// </summary>
internal static partial class InheritedHandles
{
    private const int F_GETFD = 1;
    private const int F_SETFD = 2;
    private const int FD_CLOEXEC = 1;

    public static void MakeNonInheritable(SafeHandle handle)
    {
        if (OperatingSystem.IsWindows()) return; // Windows handles are not inherited unless asked for at CreateProcess.
        int fd = (int)handle.DangerousGetHandle();
        int flags = Fcntl(fd, F_GETFD, 0);
        if (flags >= 0) Fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}
