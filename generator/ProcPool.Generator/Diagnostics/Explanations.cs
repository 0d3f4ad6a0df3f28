using Microsoft.CodeAnalysis;
using ProcPool.Generator.Parsing;

namespace ProcPool.Generator.Diagnostics;

/// <summary>
/// Turns the classifier's answer into the sentence a new user reads: what the type is, why that can't cross a
/// process, and what to do instead.
/// </summary>
internal static class Explanations
{
    /// <summary>"Lock is an in-process lock, and in-process locks can't cross to a worker; use SharedLock …".</summary>
    public static string Explain(UnpicklableReason never, ITypeSymbol type) =>
        $"{never.TypeName ?? UnpicklableCatalogue.ShortName(type)} is {never.Reason}, and {Rule(never.Category)}; {never.Advice}";

    /// <summary>The classifier's verdict on a type that is not in the catalogue, or the catalogue's when it is.</summary>
    public static string Explain(Classification classification, ITypeSymbol type) =>
        classification.Never is { } never ? Explain(never, type) : classification.Reason ?? $"{UnpicklableCatalogue.ShortName(type)} can't be encoded";

    /// <summary>The general rule behind a category, so each message says why, not only what.</summary>
    private static string Rule(UnpicklableCategory category) => category switch
    {
        UnpicklableCategory.Lock => "in-process locks can't cross to a worker",
        UnpicklableCategory.Resource => "an open resource belongs to the process that opened it",
        UnpicklableCategory.Code => "only data crosses to a worker, never code",
        UnpicklableCategory.PendingOperation => "a running operation stays in the process that started it",
        UnpicklableCategory.Cancellation => "it cancels only in this process",
        UnpicklableCategory.Queue => "an in-process queue can't be shared with another process",
        UnpicklableCategory.Pointer => "an address means nothing in another process",
        UnpicklableCategory.RefStruct => "a ref struct can't leave this thread's stack, let alone the process",
        _ => "it only means something in this process",
    };
}
