using System.Globalization;

namespace ProcPool.Hosting;

/// <summary>
/// The worker's command line: pipe handle numbers and limits, nothing secret (anyone on the machine can read a
/// command line). Format: <c>--procpool-worker &lt;id&gt; &lt;in&gt; &lt;out&gt; &lt;control&gt; &lt;maxFrameSize&gt; &lt;maxDepth&gt;</c>.
/// </summary>
internal sealed record WorkerArguments(int WorkerId, string InputHandle, string OutputHandle, string ControlHandle, int MaxFrameSize, int MaxDepth)
{
    public const string Sentinel = "--procpool-worker";

    public IEnumerable<string> ToArgumentList() =>
    [
        Sentinel,
        WorkerId.ToString(CultureInfo.InvariantCulture),
        InputHandle,
        OutputHandle,
        ControlHandle,
        MaxFrameSize.ToString(CultureInfo.InvariantCulture),
        MaxDepth.ToString(CultureInfo.InvariantCulture),
    ];

    public static WorkerArguments? TryParse(IReadOnlyList<string> args)
    {
        int at = -1;
        for (int i = 0; i < args.Count; i++)
            if (args[i] == Sentinel) { at = i; break; }
        if (at < 0 || args.Count < at + 7) return null;
        if (!int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int id)) return null;
        if (!int.TryParse(args[at + 5], NumberStyles.None, CultureInfo.InvariantCulture, out int maxFrame)) return null;
        if (!int.TryParse(args[at + 6], NumberStyles.None, CultureInfo.InvariantCulture, out int maxDepth)) return null;
        return new WorkerArguments(id, args[at + 2], args[at + 3], args[at + 4], maxFrame, maxDepth);
    }
}
