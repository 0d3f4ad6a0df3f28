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

        var containing = method.ContainingType;
        string typeDisplay = string.Join(".", ContainingChain(containing).Select(t => t.Name));
        string? ns = containing.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        string attribute = isInitializer ? KnownTypes.PoolInitializerAttribute : KnownTypes.PoolTaskAttribute;
        string overloadSuffix = IsOverloaded(method, attribute) ? "_" + string.Join("_", method.Parameters.Select(p => ShortName(p.Type))) : "";
        string kind = isInitializer ? "PoolInitializer" : "PoolTask";
        string typePath = typeDisplay.Replace('.', '_');
        string stubName = method.Name.EndsWith("Async", System.StringComparison.Ordinal) ? method.Name : method.Name + "Async";

        return new TaskMethodModel(
            Namespace: ns,
            ContainingTypeFullName: containing.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            ContainingTypeDisplay: typeDisplay,
            ExtensionsClassName: typePath + "PoolExtensions",
            IsPublic: TaskShape.IsPublicSurface(method),
            MethodName: method.Name,
            StubName: stubName,
            DescriptorName: $"{typePath}_{method.Name}{overloadSuffix}_{kind}",
            HintName: $"{(ns is null ? "" : ns + ".")}{typeDisplay}.{method.Name}{overloadSuffix}.{kind}.g.cs",
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

    private static IEnumerable<INamedTypeSymbol> ContainingChain(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (var t = type; t is not null; t = t.ContainingType) chain.Push(t);
        return chain;
    }

    private static bool IsOverloaded(IMethodSymbol method, string attribute) =>
        method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == attribute)) > 1;

    private static string ShortName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => ShortName(array.ElementType) + "Array",
        INamedTypeSymbol { IsGenericType: true } generic => generic.Name + string.Concat(generic.TypeArguments.Select(ShortName)),
        _ => type.Name,
    };

}
