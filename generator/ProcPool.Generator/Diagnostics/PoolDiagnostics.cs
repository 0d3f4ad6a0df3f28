using Microsoft.CodeAnalysis;

namespace ProcPool.Generator.Diagnostics;

/// <summary>
/// The descriptors of PP0001–PP0010 (IDs and meanings fixed in DESIGN.md) and PP0011, which came with native workers. Each message names the task, the
/// parameter and the type, and says what to do instead; each help link opens the diagnostic's page in
/// <c>docs/diagnostics/</c>, which has the cause, a failing example and the fix.
/// </summary>
internal static class PoolDiagnostics
{
    /// <summary>Where the diagnostic pages live: one <c>PPnnnn.md</c> each, in the repository's <c>docs/diagnostics</c>.</summary>
    public const string HelpLinkBase = "https://github.com/procpool/procpool/blob/main/docs/diagnostics/";

    public const string Category = "ProcPool";

    public const string InvalidTaskDeclarationId = "PP0001";
    public const string ParameterCannotCrossId = "PP0002";
    public const string ResultCannotCrossId = "PP0003";
    public const string MemberCannotCrossId = "PP0004";
    public const string ParameterKindNotSupportedId = "PP0005";
    public const string OpenParameterTypeId = "PP0006";
    public const string GeneratedNameClashId = "PP0007";
    public const string NotAPoolTaskId = "PP0008";
    public const string StatefulArgumentId = "PP0009";
    public const string InvalidInitializerId = "PP0010";
    public const string NativeAppIsNotItsOwnWorkerId = "PP0011";

    public static readonly DiagnosticDescriptor InvalidTaskDeclaration = Error(
        InvalidTaskDeclarationId,
        "A [PoolTask] method must be static, non-generic and reachable from generated code",
        "[PoolTask] method {0} can't run in a worker: {1}");

    public static readonly DiagnosticDescriptor ParameterCannotCross = Error(
        ParameterCannotCrossId,
        "An argument of this type can never cross to a worker process",
        "{0} can't cross to a worker process: {1}");

    public static readonly DiagnosticDescriptor ResultCannotCross = Error(
        ResultCannotCrossId,
        "The result of this type can't cross back from a worker process",
        "The result of {0} can't cross back from a worker process: {1}");

    public static readonly DiagnosticDescriptor MemberCannotCross = Error(
        MemberCannotCrossId,
        "A member inside the argument's type can't cross to a worker process",
        "{0} can't cross to a worker process because of the member {1}: {2}");

    public static readonly DiagnosticDescriptor ParameterKindNotSupported = Error(
        ParameterKindNotSupportedId,
        "ref, out and in parameters, pointers and ref structs can't be task parameters",
        "{0} can't be passed to a worker process: {1}");

    public static readonly DiagnosticDescriptor OpenParameterType = Warning(
        OpenParameterTypeId,
        "The type that crosses to the worker is only known at run time",
        "{0} is typed {1}: what crosses to the worker is only known at the call, so a value ProcPool can't encode fails at run time instead of at compile time; declare a concrete type, or list the implementations with [PoolUnion(...)]");

    public static readonly DiagnosticDescriptor GeneratedNameClash = Error(
        GeneratedNameClashId,
        "Two tasks would get the same generated name",
        "[PoolTask] {0} and {1} would both generate {2}; rename one of them");

    public static readonly DiagnosticDescriptor NotAPoolTask = Error(
        NotAPoolTaskId,
        "Only a static [PoolTask] method can be sent to a worker",
        "{0} can't run in a worker process: {1}");

    public static readonly DiagnosticDescriptor StatefulArgument = Warning(
        StatefulArgumentId,
        "The argument's type holds a resource or code; the worker gets a copy of its data only",
        "{0} is typed {1}, which {2}: the worker gets a copy of its data, not the resource or the handlers; pass plain data, or create the resource once per worker in a [PoolInitializer] method");

    public static readonly DiagnosticDescriptor InvalidInitializer = Error(
        InvalidInitializerId,
        "A [PoolInitializer] method must be static and return void, Task or ValueTask",
        "[PoolInitializer] method {0} can't initialize workers: {1}");

    public static readonly DiagnosticDescriptor NativeAppIsNotItsOwnWorker = Warning(
        NativeAppIsNotItsOwnWorkerId,
        "A NativeAOT application must hand worker command lines to WorkerEntryPoint.TryRun",
        "{0} starts worker processes, but this application is published with NativeAOT and its Main never calls WorkerEntryPoint.TryRun: a native application's workers are the application itself, so they can't start; add `if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;` at the top of Main, or set PoolOptions.WorkerExecutable");

    /// <summary>Every descriptor, for the analyzers' <c>SupportedDiagnostics</c> and the docs test.</summary>
    public static readonly DiagnosticDescriptor[] All =
    [
        InvalidTaskDeclaration, ParameterCannotCross, ResultCannotCross, MemberCannotCross, ParameterKindNotSupported,
        OpenParameterType, GeneratedNameClash, NotAPoolTask, StatefulArgument, InvalidInitializer, NativeAppIsNotItsOwnWorker,
    ];

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
