using System.IO.Pipes;
using ProcPool.Interop;

namespace ProcPool.Hosting;

/// <summary>
/// Enlarges a Linux pipe's kernel buffer (64 KiB by default) so a large argument or result crosses in a few writes
/// instead of one 64 KiB slice per context switch. Best effort: other systems, or a limit lower than asked
/// (<c>/proc/sys/fs/pipe-max-size</c>), leave the pipe as it is.
/// </summary>
internal static class PipeBuffer
{
    /// <summary>1 MiB: the default ceiling for unprivileged processes on Linux.</summary>
    public const int PreferredSize = 1 << 20;

    public static void TryEnlarge(PipeStream pipe, int size = PreferredSize)
    {
        if (!OperatingSystem.IsLinux()) return;
        bool added = false;
        var handle = pipe.SafePipeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = LibC.Fcntl((int)handle.DangerousGetHandle(), LibC.SetPipeSize, size); // -1 (EPERM, EBUSY) keeps the old size
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc/musl: keep the default size.
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }
}
