using System.Globalization;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// A large decoded array is advised onto 2 MiB pages before it is filled (Linux): its memory carries the kernel's
/// huge-page flag ("hg" in /proc/self/smaps), its head page is collapsed so the fill takes a few faults, and its bytes
/// are the ones sent.
/// </summary>
public sealed class HugePagesTests
{
    [Fact]
    public unsafe void A_large_decoded_array_is_advised_onto_huge_pages_and_arrives_intact()
    {
        var sent = new byte[12 * 1024 * 1024];
        new Random(3).NextBytes(sent);
        var writer = new PoolWriter(1024);
        writer.WriteUnmanagedArray<byte>(sent);
        var reader = new PoolReader(writer.WrittenSpan);
        var received = reader.ReadUnmanagedArray<byte>()!;

        Assert.True(received.AsSpan().SequenceEqual(sent));
        if (!OperatingSystem.IsLinux() || !TransparentHugePagesAdvisable()) return;
        fixed (byte* data = received)
        {
            const long hugePage = 2 * 1024 * 1024;
            long inside = ((long)data + hugePage - 1) & ~(hugePage - 1);
            Assert.Contains("hg", VmFlagsOf(inside));
        }
    }

    [Fact]
    public void Filling_a_large_fresh_array_takes_a_few_huge_page_faults_not_thousands_of_small_ones()
    {
        // 12 MiB of 4 KiB pages is 3,072 faults. An array that starts x bytes into a 2 MiB page shares that page with what
        // comes before it and, 12 MiB being whole pages, shares x bytes of another with what follows: 2 MiB of edges,
        // 512 small faults, however it is placed, without the collapse. With it, only the edge it fills less than half
        // of takes small faults: at most 256. Memory the GC hands back already in place takes none either way.
        if (!OperatingSystem.IsLinux() || !TransparentHugePagesAdvisable() || Environment.OSVersion.Version < new Version(6, 1)) return;
        var sent = new byte[12 * 1024 * 1024];
        new Random(5).NextBytes(sent);

        // Three arrays, all kept alive, so at least one lands in memory the GC has just taken from the OS rather than in
        // memory an earlier test freed. Only the advice and the fill are counted: a collection the allocation sets off
        // runs on this thread and touches memory of its own. A collapse can also fail when no free 2 MiB page is at hand
        // (the suite runs many processes at once), and then that array takes small faults: up to three tries.
        var tries = new List<long[]>();
        var kept = new List<byte[]>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var faults = new long[3];
            for (int i = 0; i < faults.Length; i++)
            {
                var array = GC.AllocateUninitializedArray<byte>(sent.Length);
                long before = MinorFaultsOfThisThread();
                Interop.HugePages.AdviseFresh(array);
                sent.CopyTo(array, 0);
                faults[i] = MinorFaultsOfThisThread() - before;
                Assert.True(array.AsSpan().SequenceEqual(sent));
                kept.Add(array);
            }
            tries.Add(faults);
            if (faults.Max() < 300) return;
        }
        Assert.Fail($"Filling three fresh 12 MiB arrays took {string.Join("; ", tries.Select(t => string.Join(", ", t)))} page faults on this thread.");
    }

    [Fact]
    public void An_array_just_below_the_threshold_round_trips()
    {
        var sent = new double[(Interop.HugePages.MinimumBytes / sizeof(double)) - 1];
        for (int i = 0; i < sent.Length; i++) sent[i] = i * 0.25;
        var writer = new PoolWriter(1024);
        writer.WriteUnmanagedArray<double>(sent);
        var reader = new PoolReader(writer.WrittenSpan);

        Assert.Equal(sent, reader.ReadUnmanagedArray<double>());
    }

    private static bool TransparentHugePagesAdvisable()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        return File.Exists(setting) && File.ReadAllText(setting) is var text && (text.Contains("[madvise]") || text.Contains("[always]"));
    }

    /// <summary>Field 10 of /proc/thread-self/stat: the minor page faults of the calling thread only, not of tests running beside it.</summary>
    private static long MinorFaultsOfThisThread()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }

    /// <summary>The VmFlags line of the mapping in /proc/self/smaps that contains <paramref name="address"/>.</summary>
    private static string[] VmFlagsOf(long address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            // A mapping's header starts with its range ("7f12a0000000-7f12a4000000 rw-p ..."); its fields follow ("Size: ...").
            int space = line.IndexOf(' ');
            int dash = space > 0 ? line.IndexOf('-', 0, space) : -1;
            if (dash > 0
                && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long start)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long end))
            {
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        throw new InvalidOperationException($"No mapping in /proc/self/smaps contains 0x{address:x}.");
    }
}
