using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProcPool;
using ProcPool.Generator;
using ProcPool.Generator.Analyzers;
using ProcPool.Generator.Bench;

// Usage: dotnet run -c Release --project bench/ProcPool.Generator.Bench [-- iterations]
int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
var trees = SyntheticProject.Sources().Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path)).ToImmutableArray();
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .Append(MetadataReference.CreateFromFile(typeof(WorkerPool).Assembly.Location))
    .ToImmutableArray();

CSharpCompilation NewCompilation() => CSharpCompilation.Create("Synthetic", trees, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new PoolTaskGenerator().AsSourceGenerator()], parseOptions: parseOptions);
TimeSpan GeneratorTime(GeneratorDriver driver) => driver.GetTimingInfo().GeneratorTimes.Single().ElapsedTime;

// Full run: a fresh compilation (nothing bound yet) and a fresh driver, as on opening the project or a clean build.
var fullWall = new List<double>();
var fullGenerator = new List<double>();
int generatedFiles = 0;
for (int i = -3; i < iterations; i++)
{
    var compilation = NewCompilation();
    var stopwatch = Stopwatch.StartNew();
    var driver = NewDriver().RunGenerators(compilation);
    stopwatch.Stop();
    if (i < 0) continue; // warm-up: JIT and the framework's metadata
    fullWall.Add(stopwatch.Elapsed.TotalMilliseconds);
    fullGenerator.Add(GeneratorTime(driver).TotalMilliseconds);
    generatedFiles = driver.GetRunResult().GeneratedTrees.Length;
}

// Edit: the driver keeps its state; each iteration changes one line of the unrelated file, as typing does.
var editWall = new List<double>();
var editGenerator = new List<double>();
var current = NewCompilation();
var incremental = NewDriver().RunGenerators(current);
var unrelated = current.SyntaxTrees.Single(t => t.FilePath == SyntheticProject.UnrelatedPath);
for (int i = -3; i < iterations; i++)
{
    var edited = unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(SyntheticProject.Unrelated(i + 10)));
    current = current.ReplaceSyntaxTree(unrelated, edited);
    unrelated = edited;
    var stopwatch = Stopwatch.StartNew();
    incremental = incremental.RunGenerators(current);
    stopwatch.Stop();
    if (i < 0) continue;
    editWall.Add(stopwatch.Elapsed.TotalMilliseconds);
    editGenerator.Add(GeneratorTime(incremental).TotalMilliseconds);
}

// The analyzers on the whole project, once per compilation: their own execution time (Roslyn's telemetry), not the
// binding of every method body that any analysis of a full project pays.
var analyzerTime = new List<double>();
ImmutableArray<DiagnosticAnalyzer> analyzers = [new PoolTaskDeclarationAnalyzer(), new PoolCallAnalyzer()];
for (int i = -1; i < Math.Min(iterations, 5); i++)
{
    var withAnalyzers = NewCompilation().WithAnalyzers(analyzers,
        new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
    await withAnalyzers.GetAnalyzerDiagnosticsAsync();
    double total = 0;
    foreach (var analyzer in analyzers) total += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
    if (i >= 0) analyzerTime.Add(total);
}

static double Median(List<double> values) { var sorted = values.Order().ToList(); return sorted[sorted.Count / 2]; }

Console.WriteLine($"Synthetic project: {SyntheticProject.TaskCount} [PoolTask] methods over {SyntheticProject.UserTypeCount} user types; {generatedFiles} files generated");
Console.WriteLine($"{iterations} iterations after warm-up, median (min) in ms");
Console.WriteLine();
Console.WriteLine("| run | generator time | wall time of RunGenerators |");
Console.WriteLine("| --- | ---: | ---: |");
Console.WriteLine($"| full (fresh compilation and driver) | {Median(fullGenerator):F1} ({fullGenerator.Min():F1}) | {Median(fullWall):F1} ({fullWall.Min():F1}) |");
Console.WriteLine($"| one-line edit in an unrelated file | {Median(editGenerator):F2} ({editGenerator.Min():F2}) | {Median(editWall):F2} ({editWall.Min():F2}) |");
Console.WriteLine($"| analyzers, whole project (execution time) | {Median(analyzerTime):F1} ({analyzerTime.Min():F1}) | |");
