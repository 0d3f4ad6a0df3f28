using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ProcPool.Generator.Diagnostics;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator.Analyzers;

/// <summary>
/// Checks the calls that send work to a worker. PP0008: what is passed as the task (or initializer) must be a
/// static method with the attribute, not a lambda, an anonymous method or a local function, which capture state.
/// PP0002 at the argument: a value whose type can never cross, passed where the task declares object, an
/// interface or an abstract class, so the declaration alone could not tell.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Set on PP0008 for a method group: the attribute the method is missing, for the code fix.</summary>
    public const string MissingAttributeProperty = "MissingAttribute";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [PoolDiagnostics.NotAPoolTask, PoolDiagnostics.ParameterCannotCross];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            // Once per compilation: a project that does not reference the runtime makes no pool calls.
            if (start.Compilation.GetTypeByMetadataName("ProcPool.WorkerPool")?.ContainingAssembly is not { } runtime) return;
            start.RegisterOperationAction(c => AnalyzeInvocation(c, runtime), OperationKind.Invocation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, runtime), OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, IAssemblySymbol runtime)
    {
        var (method, arguments) = context.Operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null) return;

        if (PoolApi.IsGeneratedStub(method))
        {
            CallSiteArguments.CheckStub(context, method, arguments);
            return;
        }
        if (!PoolApi.IsPoolMember(method, runtime)) return;

        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { Type.TypeKind: TypeKind.Delegate } parameter) continue;
            if (PoolApi.RequiredAttribute(method.Name, parameter.Name) is not { } attribute) continue;
            var task = CheckDelegate(context, argument.Value, attribute);
            if (task is not null) CallSiteArguments.CheckApiCall(context, method, arguments, argument, task);
        }
    }

    /// <summary>
    /// <c>new PoolOptions { Initializer = Setup }</c>: a delegate-typed initializer property of the runtime. Other
    /// delegate properties (<c>WorkerOutput</c>) are callbacks that run in this process, where a lambda is fine.
    /// </summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context, IAssemblySymbol runtime)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Type.TypeKind: TypeKind.Delegate } property }) return;
        if (!PoolApi.IsPoolMember(property, runtime) || !PoolApi.IsInitializerProperty(property.Name)) return;
        CheckDelegate(context, assignment.Value, KnownTypes.PoolInitializerAttribute);
    }

    /// <summary>Reports PP0008 for what can't be sent; returns the method when a method group is passed.</summary>
    private static IMethodSymbol? CheckDelegate(OperationAnalysisContext context, IOperation value, string attribute)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion) value = conversion.Operand;
        if (value is not IDelegateCreationOperation creation) return null; // a delegate variable: only the runtime can check it
        string kind = attribute == KnownTypes.PoolInitializerAttribute ? "[PoolInitializer]" : "[PoolTask]";
        var location = value.Syntax.GetLocation();

        switch (creation.Target)
        {
            case IAnonymousFunctionOperation function:
                string what = function.Syntax is AnonymousMethodExpressionSyntax ? "An anonymous method" : "A lambda";
                context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.NotAPoolTask, location, what,
                    $"lambdas capture state, and only data crosses to a worker; move the body into a static {kind} method and pass that method"));
                return null;
            case IMethodReferenceOperation { Method: { } method }:
                string name = method.ContainingType is null ? method.Name : TaskNames.TypeDisplay(method.ContainingType) + "." + method.Name;
                if (method.MethodKind == MethodKind.LocalFunction)
                {
                    context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.NotAPoolTask, location, $"The local function '{method.Name}'",
                        $"local functions capture state, and only data crosses to a worker; move it out into a static {kind} method"));
                    return null;
                }
                if (!TaskNames.HasAttribute(method.OriginalDefinition, attribute))
                {
                    string fix = method.IsStatic ? $"add {kind} to it" : $"make it a static {kind} method";
                    context.ReportDiagnostic(Diagnostic.Create(PoolDiagnostics.NotAPoolTask, location,
                        ImmutableDictionary<string, string?>.Empty.Add(MissingAttributeProperty, attribute),
                        $"'{name}'", $"it has no {kind} attribute, so no worker knows it; {fix}"));
                    return null;
                }
                return method;
            default:
                return null;
        }
    }
}
