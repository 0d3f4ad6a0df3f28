using System.IO.Pipes;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcPool.Interop;

namespace ProcPool.Hosting;

/// <summary>
/// Marks the pipe handles a worker inherited as close-on-exec, so processes a task starts do not inherit them
/// too: a grandchild holding the pipes open would hide the worker's death from the parent and the parent's death
/// from the worker.
/// </summary>
internal static class InheritedHandles
{
    /// <summary>
    /// Opens an inherited pipe end, marked close-on-exec. On Unix a <see cref="DescriptorStream"/>: reads and writes
    /// are direct read(2)/write(2) calls, and a worker does not load System.IO.Pipes, System.Net.Sockets and their
    /// event sources (with their threads) before its first call.
    /// </summary>
    public static Stream OpenPipe(string handle, FileAccess access)
    {
        if (OperatingSystem.IsWindows()) return OpenWindowsPipe(handle, access);
        if (!WorkerArguments.TryParseDigits(handle, out int fd))
            throw new ArgumentException($"'{handle}' is not a file descriptor number.", nameof(handle));
        var descriptor = new SafeFileHandle(fd, ownsHandle: true);
        MakeNonInheritable(descriptor);
        return new DescriptorStream(descriptor, access);
    }

    // Its own method so that on Unix the JIT never sees the pipe stream type and System.IO.Pipes stays unloaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Stream OpenWindowsPipe(string handle, FileAccess access) =>
        new AnonymousPipeClientStream(access == FileAccess.Read ? PipeDirection.In : PipeDirection.Out, handle);

    public static void MakeNonInheritable(SafeHandle handle)
    {
        if (OperatingSystem.IsWindows()) return; // Windows handles are not inherited unless asked for at CreateProcess.
        int fd = (int)handle.DangerousGetHandle();
        int flags = LibC.Fcntl(fd, LibC.GetDescriptorFlags, 0);
        if (flags >= 0) LibC.Fcntl(fd, LibC.SetDescriptorFlags, flags | LibC.CloseOnExecFlag);
    }
}
