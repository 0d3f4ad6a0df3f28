using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ProcPool.Generator.Diagnostics;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator.Analyzers;

/// <summary>
/// Reports, live in the IDE, every reason a <c>[PoolTask]</c> or <c>[PoolInitializer]</c> method can't run in a
/// worker. It applies the generator's own rules (TaskShape, TypeClassifier, the catalogue, GeneratedNameClash), so
/// each method the generator skips gets an error here, and the generator's pipeline stays free of diagnostics.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolTaskDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Set on PP0001 when the only fix needed may be the <c>static</c> keyword.</summary>
    public const string NotStaticProperty = "NotStatic";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        PoolDiagnostics.InvalidTaskDeclaration, PoolDiagnostics.ParameterCannotCross, PoolDiagnostics.ResultCannotCross,
        PoolDiagnostics.MemberCannotCross, PoolDiagnostics.ParameterKindNotSupported, PoolDiagnostics.OpenParameterType,
        PoolDiagnostics.GeneratedNameClash, PoolDiagnostics.StatefulArgument, PoolDiagnostics.InvalidInitializer,
    ];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (TaskNames.HasAttribute(method, KnownTypes.PoolTaskAttribute)) Analyze(context, method, isInitializer: false);
        if (TaskNames.HasAttribute(method, KnownTypes.PoolInitializerAttribute)) Analyze(context, method, isInitializer: true);
    }

    private static void Analyze(SymbolAnalysisContext context, IMethodSymbol method, bool isInitializer)
    {
        if (method.Locations.Length == 0 || !method.Locations[0].IsInSource) return;
        var location = method.Locations[0];
        string name = TaskNames.TypeDisplay(method.ContainingType) + "." + method.Name;

        if (isInitializer)
        {
            if ((TaskShape.FindInitializerProblem(method) ?? TaskShape.FindDeclarationProblem(method)) is { } problem)
                context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.InvalidInitializer, location, name, problem));
        }
        else if (TaskShape.FindDeclarationProblem(method) is { } problem)
        {
            var properties = method.IsStatic
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(NotStaticProperty, "true");
            context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.InvalidTaskDeclaration, location, properties, name, problem));
        }

        // A generic method's parameters are type parameters: PP0001 already says what to change, and "T can't be
        // encoded" would only repeat it.
        if (method.IsGenericMethod) return;

        foreach (var parameter in method.Parameters)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var where = parameter.DeclaringSyntaxReferences.Length > 0
                ? parameter.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken).GetLocation()
                : location;
            if (TypeVerdict.ForParameter(parameter, $"Parameter '{parameter.Name}' of {name}", where) is { } diagnostic)
                context.ReportDiagnostic(diagnostic);
        }

        if (!isInitializer && TypeVerdict.ForResult(method, name, ReturnTypeLocation(method, context) ?? location) is { } result)
            context.ReportDiagnostic(result);

        if (GeneratedNameClash.Find(method, isInitializer) is { } clash)
            context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.GeneratedNameClash, location,
                name, TaskNames.TypeDisplay(clash.Other.ContainingType) + "." + clash.Other.Name, clash.Name));
    }

    private static Location? ReturnTypeLocation(IMethodSymbol method, SymbolAnalysisContext context) =>
        method.DeclaringSyntaxReferences.Length > 0
        && method.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is MethodDeclarationSyntax declaration
            ? declaration.ReturnType.GetLocation()
            : null;
}
