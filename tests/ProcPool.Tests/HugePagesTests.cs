using System.Globalization;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// A large decoded array is advised onto 2 MiB pages before it is filled (Linux): its memory carries the kernel's
/// huge-page flag ("hg" in /proc/self/smaps), and its bytes are the ones sent.
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
