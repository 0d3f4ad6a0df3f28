using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProcPool.Generator.Analyzers;
using ProcPool.Generator.Parsing;

namespace ProcPool.CodeFixes;

/// <summary>
/// Finds, in one invocation, the argument that feeds a given task parameter: a direct call
/// (<c>Tasks.Run(a, gate)</c>), a pool call with the task as a method group (<c>pool.ApplyAsync(Tasks.Run, a, gate)</c>),
/// or the generated stub (<c>pool.RunAsync(a, gate)</c>, which does not bind while the task has an error).
/// </summary>
internal static class CallSites
{
    public static ArgumentSyntax? ArgumentFor(SemanticModel model, InvocationExpressionSyntax invocation, IMethodSymbol task, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        var arguments = invocation.ArgumentList.Arguments;
        var target = Resolve(model, invocation, cancellationToken);

        if (SymbolEqualityComparer.Default.Equals(target?.OriginalDefinition, task))
            return ByNameOrPosition(arguments, parameter, 0);

        for (int i = 0; i < arguments.Count; i++)
        {
            var info = model.GetSymbolInfo(arguments[i].Expression, cancellationToken);
            if (SymbolEqualityComparer.Default.Equals((info.Symbol ?? info.CandidateSymbols.FirstOrDefault())?.OriginalDefinition, task))
                return ByNameOrPosition(arguments, parameter, i + 1);
        }

        if (invocation.Expression is MemberAccessExpressionSyntax access
            && access.Name.Identifier.Text == TaskNames.StubName(task)
            && (target is null || PoolApi.IsGeneratedStub(target.ReducedFrom ?? target)))
            return ByNameOrPosition(arguments, parameter, 0);
        return null;
    }

    private static IMethodSymbol? Resolve(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var info = model.GetSymbolInfo(invocation, cancellationToken);
        return info.Symbol as IMethodSymbol ?? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
    }

    private static ArgumentSyntax? ByNameOrPosition(SeparatedSyntaxList<ArgumentSyntax> arguments, IParameterSymbol parameter, int offset)
    {
        var named = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.Text == parameter.Name);
        if (named is not null) return named;
        int index = offset + parameter.Ordinal;
        return index < arguments.Count && arguments[index].NameColon is null ? arguments[index] : null;
    }
}
