using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>A span marked in test source: <c>{|PP0002:text|}</c> expects that diagnostic there; <c>{|#0:text|}</c> names a location.</summary>
internal sealed record MarkedSpan(string? DiagnosticId, int? LocationIndex, TextSpan Span);

/// <summary>
/// Parses the markup of Microsoft.CodeAnalysis.Testing (which the registry here does not carry): <c>{|ID:text|}</c>
/// and <c>{|#n:text|}</c>, nestable. Returns the source without markup and the marked spans.
/// </summary>
internal static class Markup
{
    public static (string Source, List<MarkedSpan> Spans) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        var open = new Stack<(string Label, int Start)>();
        int i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                if (colon < 0) throw new FormatException($"Markup at {i} has no ':'.");
                open.Push((markup[(i + 2)..colon], source.Length));
                i = colon + 1;
                continue;
            }
            if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                var (label, start) = open.Pop();
                var span = TextSpan.FromBounds(start, source.Length);
                spans.Add(label.StartsWith('#')
                    ? new MarkedSpan(null, int.Parse(label[1..], System.Globalization.CultureInfo.InvariantCulture), span)
                    : new MarkedSpan(label, null, span));
                i += 2;
                continue;
            }
            source.Append(markup[i]);
            i++;
        }
        if (open.Count > 0) throw new FormatException($"Markup '{open.Peek().Label}' is not closed.");
        return (source.ToString(), spans);
    }
}
