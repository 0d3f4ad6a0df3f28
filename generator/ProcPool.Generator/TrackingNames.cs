namespace ProcPool.Generator;

/// <summary>Names of the pipeline steps, so tests can check which steps re-ran after an edit.</summary>
internal static class TrackingNames
{
    public const string Extract = nameof(Extract);
    public const string ValidTasks = nameof(ValidTasks);
    public const string AssemblyName = nameof(AssemblyName);
    public const string DispatchEntries = nameof(DispatchEntries);
    public const string ExtractInitializers = nameof(ExtractInitializers);
    public const string ValidInitializers = nameof(ValidInitializers);
    public const string InitializerDispatchEntries = nameof(InitializerDispatchEntries);
    public const string AllDispatchEntries = nameof(AllDispatchEntries);
    public const string CodecTypes = nameof(CodecTypes);
}
