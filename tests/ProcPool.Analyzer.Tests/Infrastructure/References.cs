using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProcPool;

namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>What test sources compile against: the real framework and the real ProcPool runtime.</summary>
internal static class References
{
    public static ImmutableArray<MetadataReference> Default { get; } = Load();

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);

    private static ImmutableArray<MetadataReference> Load()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var framework = tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                                       || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll");
        return [.. framework.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
                MetadataReference.CreateFromFile(typeof(WorkerPool).Assembly.Location)];
    }
}
