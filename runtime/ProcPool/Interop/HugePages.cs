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
/// already there; the tail's 2 MiB page is still empty and faults in huge by itself. A probe filling fresh 8 MiB arrays
/// on the development VM: 28 ms with 4 KiB pages, 6.1 ms with only the aligned inside advised, 1.3 ms with the head
/// collapsed too.
/// </para>
/// <para>
/// The advice only changes which page size backs memory; contents never change (the kernel copies what a collapsed
/// page held). Where it is refused (THP off, another OS, an older kernel) nothing changes.
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
    private static bool s_collapseUnavailable;
    private static bool s_collapseWorked;
    private static int s_collapseRefusals;

    /// <summary>
    /// Advises huge pages for every 2 MiB page that <paramref name="array"/>'s data touches, and collapses the head page
    /// when the array fills at least half of it.
    /// </summary>
    public static void AdviseFresh<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (!s_enabled || s_unavailable || bytes < MinimumBytes) return;
        fixed (T* data = array)
        {
            long first = (long)data & ~(PageSize - 1);
            long end = ((long)data + bytes + PageSize - 1) & ~(PageSize - 1);
            try
            {
                // EINVAL: a kernel built without transparent huge pages, which refuses every time; stop asking. Other
                // errors (ENOMEM: part of the range beyond the array is not mapped) still advise what is mapped.
                if (LibC.Madvise((nint)first, (nuint)(end - first), LibC.MadviseHugePage) != 0 && Marshal.GetLastPInvokeError() == LibC.InvalidArgument)
                {
                    s_unavailable = true;
                    return;
                }
                // A head page the array barely enters is not worth a 2 MiB copy.
                if ((long)data != first && first + PageSize - (long)data >= PageSize / 2) CollapseHead(first);
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

    private static void CollapseHead(long page)
    {
        if (s_collapseUnavailable) return;
        if (LibC.Madvise((nint)page, (nuint)PageSize, LibC.MadviseCollapse) == 0)
        {
            s_collapseWorked = true;
            return;
        }
        // A kernel before 6.1 has no MADV_COLLAPSE and answers EINVAL every time: stop asking once it has never worked
        // and refused a few times. EAGAIN or ENOMEM (no free huge page now): this array takes small faults, the next
        // one may not.
        if (!s_collapseWorked && Marshal.GetLastPInvokeError() == LibC.InvalidArgument && ++s_collapseRefusals >= 4)
            s_collapseUnavailable = true;
    }
}
