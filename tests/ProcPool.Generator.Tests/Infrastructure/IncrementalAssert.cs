using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Tests.Infrastructure;

/// <summary>Checks on a generator's tracked steps: which re-ran, and that no model holds a symbol, syntax node or compilation.</summary>
internal static class IncrementalAssert
{
    /// <summary>Every output of every named step is Cached or Unchanged.</summary>
    public static void AllCachedOrUnchanged(GeneratorRunResult result, params string[] stepNames)
    {
        foreach (var name in stepNames)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"The step {name} was not tracked.");
            foreach (var step in steps)
                foreach (var (_, reason) in step.Outputs)
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step {name} produced an output with reason {reason}; expected Cached or Unchanged.");
        }
        foreach (var (_, steps) in result.TrackedOutputSteps)
            foreach (var step in steps)
                foreach (var (_, reason) in step.Outputs)
                    Assert.Equal(IncrementalStepRunReason.Cached, reason);
    }

    /// <summary>The reasons of a step's outputs.</summary>
    public static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string stepName) =>
        [.. result.TrackedSteps[stepName].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    /// <summary>
    /// Walks every value our named steps produced and fails on anything that would pin a compilation in memory.
    /// (Roslyn's own internal steps, such as ForAttributeWithMetadataName's, legitimately hold syntax.)
    /// </summary>
    public static void HoldsNoCompilerObjects(GeneratorRunResult result, params string[] stepNames)
    {
        foreach (var name in stepNames)
            foreach (var step in result.TrackedSteps[name])
                foreach (var (value, _) in step.Outputs)
                    Walk(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
    }

    private static void Walk(object? value, string path, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 20) return;
        var type = value.GetType();
        if (type.IsPrimitive || value is string || type.IsEnum) return;
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {type.Name}: a cached model must not keep compiler objects alive.");
        if (!type.IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (var item in sequence) Walk(item, $"{path}[{i++}]", seen, depth + 1);
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.GetValue(value), $"{path}.{field.Name}", seen, depth + 1);
    }
}
