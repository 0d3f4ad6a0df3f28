using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// Turns one <c>[PoolTask]</c> method into a <see cref="TaskMethodModel"/>. Returns null for a method the
/// generator cannot serve; the analyzer reports why, with the same rules, so nothing is generated that would not
/// compile and nothing is skipped silently.
/// </summary>
internal static class TaskParser
{
    public static TaskMethodModel? Extract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method) return null;
        cancellationToken.ThrowIfCancellationRequested();
        return Extract(method);
    }

    /// <summary>A <c>[PoolInitializer]</c> method: encoded and dispatched like a task, but it gets no stub.</summary>
    public static TaskMethodModel? ExtractInitializer(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method) return null;
        cancellationToken.ThrowIfCancellationRequested();
        if (TaskShape.FindInitializerProblem(method) is not null) return null;
        return Extract(method, isInitializer: true);
    }

    public static TaskMethodModel? Extract(IMethodSymbol method, bool isInitializer = false)
    {
        if (TaskShape.FindDeclarationProblem(method) is not null) return null;

        var parameters = new List<ParameterModel>(method.Parameters.Length);
        var codecTypes = new SortedDictionary<string, CodecTypeModel>(System.StringComparer.Ordinal);
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None) return null;
            string name = Identifiers.Escape(parameter.Name);
            string typeName = KnownTypes.NameOf(parameter.Type);
            string? defaultValue = DefaultValueFormatter.Format(parameter);
            if (KnownTypes.IsCancellationToken(parameter.Type))
            {
                parameters.Add(new ParameterModel(name, typeName, null, true, defaultValue));
                continue;
            }
            var classification = TypeClassifier.Classify(parameter.Type, method.ContainingAssembly);
            if (!classification.IsSerializable) return null;
            foreach (var codecType in classification.CodecTypes) codecTypes[codecType.CodecName] = codecType;
            parameters.Add(new ParameterModel(name, typeName, classification.Codec, false, defaultValue));
        }

        var (returnModel, result) = ReturnClassifier.ClassifyWithCodecs(method);
        if (returnModel is null) return null;
        foreach (var codecType in result.CodecTypes) codecTypes[codecType.CodecName] = codecType;

        // Two tasks whose generated names would collide are both skipped (PP0007), so nothing fails to compile.
        if (GeneratedNameClash.Find(method, isInitializer) is not null) return null;

        var containing = method.ContainingType;
        string typeDisplay = TaskNames.TypeDisplay(containing);
        string? ns = TaskNames.Namespace(containing);

        return new TaskMethodModel(
            Namespace: ns,
            ContainingTypeFullName: containing.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            ContainingTypeDisplay: typeDisplay,
            ExtensionsClassName: TaskNames.ExtensionsClassName(containing),
            IsPublic: TaskShape.IsPublicSurface(method),
            MethodName: method.Name,
            StubName: TaskNames.StubName(method),
            DescriptorName: TaskNames.DescriptorName(method, isInitializer),
            HintName: TaskNames.HintName(method, isInitializer),
            Signature: Signature(method),
            Parameters: new EquatableArray<ParameterModel>(parameters),
            Return: returnModel,
            IsInitializer: isInitializer,
            CodecTypes: new EquatableArray<CodecTypeModel>(codecTypes.Values));
    }

    /// <summary>What identifies the task across processes: type, method, parameter and return types.</summary>
    public static string Signature(IMethodSymbol method) =>
        method.ContainingType.ToDisplayString(KnownTypes.SignatureFormat) + "." + method.Name
        + "(" + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(KnownTypes.SignatureFormat))) + ")"
        + ":" + (method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(KnownTypes.SignatureFormat));

}
