using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// The TypeClassifier's answer for one type: a codec, or why the type cannot cross a process. The generator uses
/// <see cref="Codec"/>; the analyzer turns the rest into diagnostics, so both always agree.
/// </summary>
/// <param name="Codec">How to encode the type; null when it cannot be encoded.</param>
/// <param name="Reason">Why it cannot be encoded (a sentence fragment naming the type), when <see cref="Codec"/> is null.</param>
/// <param name="MemberPath">
/// Where inside the type the problem is, for PP0004: the member path from the top-level type to the offending
/// member, e.g. <c>Job.Log</c>; null when the type itself is the problem.
/// </param>
/// <param name="Never">The catalogue entry that matched, when the problem is a type that can never cross (PP0002, or PP0005 for pointers and ref structs).</param>
/// <param name="IsOpenType">
/// True for <c>object</c>, <c>dynamic</c>, and interfaces or abstract classes without a known set of implementations
/// (PP0006, a warning): what travels is only known at the call.
/// </param>
internal readonly record struct Classification(
    CodecModel? Codec,
    string? Reason,
    string? MemberPath = null,
    UnpicklableReason? Never = null,
    bool IsOpenType = false)
{
    public bool IsSerializable => Codec is not null;

    public static Classification Of(CodecModel codec) => new(codec, null);

    public static Classification NotSerializable(string reason) => new(null, reason);

    public static Classification NeverSerializable(string typeName, UnpicklableReason never) =>
        new(null, $"{typeName} is {never.Reason}; {never.Advice}", Never: never);
}
