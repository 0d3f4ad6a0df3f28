using System.Collections.Immutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ProcPool.Analyzer.Tests.Infrastructure;

/// <summary>
/// Compiles a project of this repository from its sources with the real compiler, the way its build does: its
/// .cs files, the SDK's implicit usings, the assemblies this test host runs with (framework, xunit, the ProcPool
/// runtime), and its ProjectReferences compiled the same way. The generator runs, then the analyzers.
/// </summary>
internal sealed class RepoProjectCompiler
{
    private static readonly string ImplicitUsings = string.Join("\n",
        new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" }
            .Select(ns => $"global using global::{ns};"));

    private static readonly Lazy<ImmutableArray<MetadataReference>> HostReferences = new(() =>
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("ProcPool.Analyzer.Tests", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
    ]);

    private readonly Dictionary<string, MetadataReference> _references = new(StringComparer.Ordinal);

    /// <summary>The projects under samples/ and tests/ that use ProcPool the way users do: through ProcPool.Source.props.</summary>
    public static IEnumerable<string> ProjectsUsingProcPool() =>
        new[] { "samples", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(RepoPaths.Combine(folder), "*.csproj", SearchOption.AllDirectories))
            .Where(path => XDocument.Load(path).Descendants("Import")
                .Any(i => i.Attribute("Project")?.Value.EndsWith("ProcPool.Source.props", StringComparison.Ordinal) == true))
            .Order(StringComparer.Ordinal);

    public async Task<AnalysisRun> AnalyzeAsync(string projectPath) => await AnalyzerVerifier.RunAsync(Compile(Path.GetFullPath(projectPath)));

    /// <summary>A referenced project, with its generated code, as its build would produce it.</summary>
    private MetadataReference ReferenceTo(string projectPath)
    {
        projectPath = Path.GetFullPath(projectPath);
        if (_references.TryGetValue(projectPath, out var done)) return done;
        var driver = CSharpGeneratorDriver.Create([new ProcPool.Generator.PoolTaskGenerator().AsSourceGenerator()], parseOptions: References.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(Compile(projectPath), out var generated, out _);
        return _references[projectPath] = generated.ToMetadataReference();
    }

    /// <summary>The project's own sources, before the generator runs.</summary>
    private Compilation Compile(string projectPath)
    {
        var project = XDocument.Load(projectPath);
        string directory = Path.GetDirectoryName(projectPath)!;
        string Property(string name) => project.Descendants(name).LastOrDefault()?.Value.Trim() ?? "";

        var references = new List<MetadataReference>(HostReferences.Value);
        foreach (var reference in project.Descendants("ProjectReference"))
        {
            if (reference.Attribute("ReferenceOutputAssembly")?.Value == "false") continue;
            string path = Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar));
            references.Add(ReferenceTo(path));
        }

        var trees = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsUnder(path, directory, "bin") && !IsUnder(path, directory, "obj")
                           && !path.EndsWith(".verified.cs", StringComparison.Ordinal) && !path.EndsWith(".received.cs", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), References.ParseOptions, path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, References.ParseOptions, Path.Combine(directory, "obj", "ImplicitUsings.g.cs")));

        var options = new CSharpCompilationOptions(
            Property("OutputType") == "Exe" ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: Property("AllowUnsafeBlocks") == "true");
        return CSharpCompilation.Create(Path.GetFileNameWithoutExtension(projectPath), trees, references, options);
    }

    private static bool IsUnder(string path, string projectDirectory, string folder) =>
        Path.GetRelativePath(projectDirectory, path).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
