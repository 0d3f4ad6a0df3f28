using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ProcPool.Generator.Diagnostics;

namespace ProcPool.Generator.Analyzers;

/// <summary>
/// PP0011: an application published with NativeAOT (<c>PublishAot</c>) starts workers, but its <c>Main</c> never hands
/// a worker's command line to <c>WorkerEntryPoint.TryRun</c>. A native application cannot run the shared-runtime
/// worker host; its workers are the application itself, so without that call the pool fails at run time. Reported at
/// each call that would start default workers: <c>WorkerPool.Start[Async]</c> with no options, or options created
/// right there without <c>WorkerExecutable</c> or <c>Mode</c> (an in-process pool starts no processes), and
/// <c>WorkerProcess.Start[Async]</c>. Options built elsewhere are given the benefit of the doubt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NativeEntryPointAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The MSBuild property, made visible to the compiler by ProcPool.Source.props.</summary>
    public const string PublishAotProperty = "build_property.PublishAot";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [PoolDiagnostics.NativeAppIsNotItsOwnWorker];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var compilation = start.Compilation;
            if (compilation.Options.OutputKind is not (OutputKind.ConsoleApplication or OutputKind.WindowsApplication)) return;
            if (!IsPublishedNative(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions)) return;
            if (compilation.GetTypeByMetadataName("ProcPool.WorkerPool") is not { } workerPool) return;
            var workerProcess = compilation.GetTypeByMetadataName("ProcPool.WorkerProcess");
            if (compilation.GetEntryPoint(start.CancellationToken) is not { } main || CallsWorkerEntryPoint(main, start.CancellationToken)) return;
            start.RegisterOperationAction(c => AnalyzeInvocation(c, workerPool, workerProcess), OperationKind.Invocation);
        });
    }

    private static bool IsPublishedNative(AnalyzerConfigOptions options) =>
        options.TryGetValue(PublishAotProperty, out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether Main's body calls <c>WorkerEntryPoint.TryRun</c> or <c>IsWorkerCommandLine</c>, the two calls that tell
    /// the runtime the application is its own worker (a bare <c>Run</c> does not). By name: the call must be the
    /// first thing Main does, so it is written there, and reading syntax needs no semantic model of every file.
    /// </summary>
    private static bool CallsWorkerEntryPoint(IMethodSymbol main, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var reference in main.DeclaringSyntaxReferences)
        {
            foreach (var invocation in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                switch (invocation.Expression)
                {
                    case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TryRun" or "IsWorkerCommandLine" } access
                        when RightmostName(access.Expression) == "WorkerEntryPoint":
                        return true;
                    case IdentifierNameSyntax { Identifier.ValueText: "TryRun" or "IsWorkerCommandLine" }:   // using static ProcPool.Hosting.WorkerEntryPoint
                        return true;
                }
            }
        }
        return false;
    }

    private static string? RightmostName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol workerPool, INamedTypeSymbol? workerProcess)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.Name is not ("Start" or "StartAsync")) return;
        string starter;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, workerPool))
        {
            if (!StartsDefaultWorkers(invocation)) return;
            starter = "WorkerPool." + method.Name;
        }
        else if (workerProcess is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, workerProcess))
        {
            starter = "WorkerProcess." + method.Name;
        }
        else
        {
            return;
        }
        context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.NativeAppIsNotItsOwnWorker, invocation.Syntax.GetLocation(), starter));
    }

    /// <summary>No options, null, or options created in the call without <c>WorkerExecutable</c> or <c>Mode</c>.</summary>
    private static bool StartsDefaultWorkers(IInvocationOperation invocation)
    {
        var options = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "options");
        if (options is null || options.ArgumentKind == ArgumentKind.DefaultValue) return true;
        var value = options.Value;
        while (value is IConversionOperation conversion) value = conversion.Operand;
        return value switch
        {
            ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
            IObjectCreationOperation creation => !SetsWhereWorkersRun(creation.Initializer),
            _ => false,
        };
    }

    private static bool SetsWhereWorkersRun(IObjectOrCollectionInitializerOperation? initializer) =>
        initializer is not null && initializer.Initializers.Any(i =>
            i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "WorkerExecutable" or "Mode" } });
}
