using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>
/// How a test compilation is built: its output kind and the MSBuild properties the analyzers see
/// (<c>build_property.X</c>, as <c>CompilerVisibleProperty</c> passes them in a real build).
/// </summary>
internal sealed record BuildSettings(OutputKind OutputKind, IReadOnlyDictionary<string, string> Properties)
{
    public static BuildSettings Library { get; } = new(OutputKind.DynamicallyLinkedLibrary, new Dictionary<string, string>());

    public static BuildSettings Application(params (string Name, string Value)[] properties) =>
        new(OutputKind.ConsoleApplication, properties.ToDictionary(p => "build_property." + p.Name, p => p.Value));

    public AnalyzerOptions ToAnalyzerOptions() => new([], new GlobalOptionsProvider(Properties));

    private sealed class GlobalOptionsProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(properties);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
