using System.Runtime.InteropServices;

namespace ProcPool.Interop;

/// <summary>
/// Asks Linux to back a large, freshly allocated array with 2 MiB pages before it is filled.
/// </summary>
/// <remarks>
/// Why: a decoded 8 MiB argument or result mostly lands in memory the GC has just taken from the OS (after a full GC it
/// decommits the free end of its large-object regions), and filling it costs a page fault per 4 KiB page. A fault costs
/// 0.5–2 µs on bare metal and up to 10 µs in a VM that shadows the guest's page tables: 2,048 faults are 4 to 22 ms for
/// an array whose copy takes under 1 ms. With transparent huge pages in "madvise" mode (Debian's and Ubuntu's default)
/// a 2 MiB page takes one fault.
/// <para>
/// The GC places a large array a few bytes past a 2 MiB boundary, so the head of the array shares its 2 MiB page with
/// the array's header, which the GC has already written: that page is populated, and the kernel will not fault a huge
/// page in for it. Without help, the first 2 MiB of the array (a quarter of an 8 MiB one) take 512 small faults.
/// <c>MADV_COLLAPSE</c> (Linux 6.1 and later) turns that head page into a huge page at once, copying the few bytes
/// already there; the same for the tail page, which the array shares with whatever follows, when the array fills at
/// least half of either. A probe filling fresh 8 MiB arrays on the development VM: 28 ms with 4 KiB pages, 5.8 ms with the
/// inside advised, 1.1–1.3 ms with the head collapsed too (4–9 faults per array instead of 515).
/// </para>
/// <para>
/// Neither call changes contents (the kernel copies what a collapsed page held). Only the inside is advised: the flag
/// outlives the array. A collapse runs on the decoding thread and may make the kernel compact memory to find a free
/// 2 MiB page; where none is free it fails and the array takes small faults. Where the kernel refuses (THP off or set
/// to "never", another OS, an older kernel) nothing changes.
/// </para>
/// </remarks>
internal static unsafe class HugePages
{
    /// <summary>Arrays below this are not worth a system call: they hold at most one whole 2 MiB page.</summary>
    public const int MinimumBytes = 4 * 1024 * 1024;

    private const long PageSize = 2 * 1024 * 1024;
    private static readonly bool s_enabled = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("PROCPOOL_HUGEPAGES") != "0"
        && !TransparentHugePagesTurnedOff();
    private static bool s_unavailable;

    // MADV_COLLAPSE came with Linux 6.1. Older kernels answer EINVAL, which newer ones also give for a range they cannot
    // collapse, so the version decides, once, rather than the first failures.
    private static readonly bool s_collapseSupported = s_enabled && Environment.OSVersion.Version >= new Version(6, 1);

    /// <summary>
    /// Advises huge pages for the 2 MiB pages that lie wholly inside <paramref name="array"/>'s data, and collapses each
    /// of the two pages it shares with its neighbours (the head, with its own header) when it fills at least half of it.
    /// </summary>
    public static void AdviseFresh<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (!s_enabled || s_unavailable || bytes < MinimumBytes) return;
        fixed (T* data = array)
        {
            // MinimumBytes (two pages) leaves at least one whole page between inside and end.
            long head = (long)data & ~(PageSize - 1);
            long inside = head == (long)data ? head : head + PageSize;
            long end = ((long)data + bytes) & ~(PageSize - 1);
            try
            {
                // Only the inside: the flag outlives the array, and on memory the GC reuses for small objects the kernel's
                // background collapser could turn a page with a few objects into 2 MiB of resident memory.
                // EINVAL: a kernel built without transparent huge pages, which refuses every time; stop asking.
                if (LibC.Madvise((nint)inside, (nuint)(end - inside), LibC.MadviseHugePage) != 0
                    && Marshal.GetLastPInvokeError() == LibC.InvalidArgument)
                {
                    s_unavailable = true;
                    return;
                }
                // An edge page the array barely enters is not worth a 2 MiB page of its own, so each edge the array fills
                // less than half of takes small faults, up to 1 MiB's worth. MADV_COLLAPSE needs no advice first. EAGAIN,
                // ENOMEM: small faults this time.
                if (s_collapseSupported)
                {
                    if (inside - (long)data >= PageSize / 2)
                        LibC.Madvise((nint)head, (nuint)PageSize, LibC.MadviseCollapse);
                    if ((long)data + bytes - end >= PageSize / 2)
                        LibC.Madvise((nint)end, (nuint)PageSize, LibC.MadviseCollapse);
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                s_unavailable = true;
            }
        }
    }

    /// <summary>
    /// True where the administrator has set transparent huge pages to "never": MADV_COLLAPSE would still make huge
    /// pages there (it ignores that setting), against the machine's choice.
    /// </summary>
    private static bool TransparentHugePagesTurnedOff()
    {
        try
        {
            return File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // no such setting: a kernel without THP refuses the advice itself
        }
    }
}
