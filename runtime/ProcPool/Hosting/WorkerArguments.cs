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
        if (!TryParseDigits(args[at + 1], out int id)) return null;
        if (!TryParseDigits(args[at + 5], out int maxFrame)) return null;
        if (!TryParseDigits(args[at + 6], out int maxDepth)) return null;
        return new WorkerArguments(id, args[at + 2], args[at + 3], args[at + 4], maxFrame, maxDepth);
    }

    /// <summary>
    /// Parses a non-negative decimal. By hand, because this runs first in every worker: any culture-aware API
    /// (even with the invariant culture) makes the runtime load ICU, milliseconds a task may never need.
    /// </summary>
    internal static bool TryParseDigits(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 10) return false;
        long result = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9') return false;
            result = result * 10 + (c - '0');
        }
        if (result > int.MaxValue) return false;
        value = (int)result;
        return true;
    }
}
