using System.Text.RegularExpressions;
using ProcPool.Analyzer.Tests.Infrastructure;
using ProcPool.Generator.Diagnostics;

namespace ProcPool.Analyzer.Tests;

/// <summary>Every diagnostic links to its page in docs/diagnostics, and every page has the cause, a failing example and the fix.</summary>
public class DiagnosticDocsTests
{
    public static TheoryData<string> Ids() => [.. PoolDiagnostics.All.Select(d => d.Id)];

    [Fact]
    public void The_eleven_ids_each_have_one_descriptor()
    {
        Assert.Equal(Enumerable.Range(1, 11).Select(i => $"PP{i:0000}"), PoolDiagnostics.All.Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_the_page_and_the_page_teaches(string id)
    {
        var descriptor = PoolDiagnostics.All.Single(d => d.Id == id);
        Assert.Equal($"https://github.com/procpool/procpool/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);

        string page = File.ReadAllText(RepoPaths.Combine("docs", "diagnostics", id + ".md"));
        Assert.StartsWith($"# {id}: ", page, StringComparison.Ordinal);
        foreach (var section in new[] { "## Cause", "## Example", "## Fix" })
            Assert.Contains(section, page, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"## Example\s+```csharp\s+\S", RegexOptions.Singleline), page);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Release_tracking_lists_the_id_with_its_severity(string id)
    {
        var descriptor = PoolDiagnostics.All.Single(d => d.Id == id);
        string releases = File.ReadAllText(RepoPaths.Combine("generator", "ProcPool.Generator", "AnalyzerReleases.Unshipped.md"))
                          + File.ReadAllText(RepoPaths.Combine("generator", "ProcPool.Generator", "AnalyzerReleases.Shipped.md"));
        Assert.Matches(new Regex($@"^{id} \| ProcPool \| {descriptor.DefaultSeverity} \|", RegexOptions.Multiline), releases);
    }
}
