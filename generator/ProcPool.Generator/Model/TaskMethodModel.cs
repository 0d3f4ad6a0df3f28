namespace ProcPool.Generator.Model;

/// <summary>
/// Everything the emitters need about one valid <c>[PoolTask]</c> method, as strings and values only (no symbols,
/// syntax or compilation), so the incremental pipeline can cache it and compare it by value. <see cref="CodecTypes"/>
/// holds the generated codecs its parameters and result need, so an edit of a type they use changes the model.
/// </summary>
internal sealed record TaskMethodModel(
    string? Namespace,
    string ContainingTypeFullName,
    string ContainingTypeDisplay,
    string ExtensionsClassName,
    bool IsPublic,
    string MethodName,
    string StubName,
    string DescriptorName,
    string HintName,
    string Signature,
    EquatableArray<ParameterModel> Parameters,
    ReturnModel Return,
    bool IsInitializer = false,
    EquatableArray<CodecTypeModel> CodecTypes = default)
{
    /// <summary>The task's display name, <c>Type.Method</c>, used in messages.</summary>
    public string TaskName => ContainingTypeDisplay + "." + MethodName;

    /// <summary>The part the dispatch table needs: a body edit or a parameter rename leaves it unchanged.</summary>
    public DispatchEntry ToDispatchEntry() => new(DescriptorName, ContainingTypeFullName + "." + MethodName, DelegateTypeName(), Signature);

    private string? DelegateTypeName()
    {
        if (Parameters.Count > 16) return null;
        var types = new System.Collections.Generic.List<string>();
        foreach (var parameter in Parameters) types.Add(parameter.TypeName);
        if (Return.Kind == ReturnKind.Void)
            return types.Count == 0 ? "global::System.Action" : "global::System.Action<" + string.Join(", ", types) + ">";
        types.Add(Return.DeclaredTypeName);
        return "global::System.Func<" + string.Join(", ", types) + ">";
    }
}

/// <summary>One parameter of a task.</summary>
internal sealed record ParameterModel(string Name, string TypeName, CodecModel? Codec, bool IsCancellationToken, string? DefaultValue);

/// <summary>How a task returns: the declared type, the type of the value that travels back, and its codec.</summary>
internal sealed record ReturnModel(ReturnKind Kind, string DeclaredTypeName, string ResultTypeName, CodecModel Codec);

internal enum ReturnKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>What the per-assembly dispatch table needs about a task.</summary>
internal sealed record DispatchEntry(string DescriptorName, string MethodFullName, string? DelegateTypeName, string Signature);
