using System.Runtime.InteropServices;

namespace ProcPool.Interop;

/// <summary>
/// The libc calls the runtime makes on Unix, declared once. Constants are Linux's (x64 and arm64 alike); callers check
/// the OS before relying on them.
/// </summary>
internal static partial class LibC
{
    // fcntl commands and flags.
    public const int GetDescriptorFlags = 1;   // F_GETFD
    public const int SetDescriptorFlags = 2;   // F_SETFD
    public const int CloseOnExecFlag = 1;      // FD_CLOEXEC
    public const int SetPipeSize = 1031;       // F_SETPIPE_SZ
    public const int AddSeals = 1033;          // F_ADD_SEALS
    public const int SealSeal = 1;             // F_SEAL_SEAL
    public const int SealShrink = 2;           // F_SEAL_SHRINK
    public const int SealGrow = 4;             // F_SEAL_GROW

    // memfd_create and mmap.
    public const uint MemfdAllowSealing = 2;   // MFD_ALLOW_SEALING
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public static readonly nint MapFailed = -1;
    public const int MadviseHugePage = 14;     // MADV_HUGEPAGE
    public const int MadviseCollapse = 25;     // MADV_COLLAPSE (Linux 6.1+)
    public const int InvalidArgument = 22;     // EINVAL
    public const int Interrupted = 4;          // EINTR
    public const int BrokenPipe = 32;          // EPIPE

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
