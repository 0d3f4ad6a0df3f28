using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// The TypeClassifier's answer for one type: a codec, or why the type cannot cross a process. The generator uses
/// <see cref="Codec"/> and <see cref="CodecTypes"/>; the analyzer turns the rest into diagnostics, so both always agree.
/// </summary>
/// <param name="Codec">How to encode the type; null when it cannot be encoded.</param>
/// <param name="Reason">
/// Why it cannot be encoded, when <see cref="Codec"/> is null: a sentence that starts with the type, or with the
/// member path and the member's type (<c>Job.Log (StreamWriter) is an open writer; …</c>).
/// </param>
/// <param name="MemberPath">
/// Where inside the type the problem is, for PP0004: the member path from the top-level type to the offending
/// member, e.g. <c>Job.Log</c> (<c>[]</c> stands for an element of a collection, <c>(as Circle)</c> for a union case);
/// null when the type itself is the problem. When <see cref="Codec"/> is not null and <see cref="IsOpenType"/> is true,
/// it is where the open member is (null when the type itself is open).
/// </param>
/// <param name="Never">The catalogue entry that matched, when the problem is a type that can never cross (PP0002, or PP0005 for pointers and ref structs).</param>
/// <param name="IsOpenType">
/// True for <c>object</c>, <c>dynamic</c>, and interfaces or abstract classes without <c>[PoolUnion]</c> (PP0006, a
/// warning), or for a type with such a member: what travels is only known at the call. Such a type still has a
/// codec, which carries a closed set of runtime types (primitives, strings, dates, arrays of primitives) and fails the
/// call with a PoolSerializationException for anything else.
/// </param>
/// <param name="MemberTypeName">The offending member's type as messages show it (<c>StreamWriter</c>), when <see cref="MemberPath"/> is set.</param>
/// <param name="CodecTypes">The generated codecs the type needs (its own and those of its members), when it has a codec.</param>
internal readonly record struct Classification(
    CodecModel? Codec,
    string? Reason,
    string? MemberPath = null,
    UnpicklableReason? Never = null,
    bool IsOpenType = false,
    string? MemberTypeName = null,
    EquatableArray<CodecTypeModel> CodecTypes = default)
{
    public bool IsSerializable => Codec is not null;

    public static Classification Of(CodecModel codec) => new(codec, null);

    public static Classification NotSerializable(string reason) => new(null, reason);

    public static Classification NeverSerializable(string typeName, UnpicklableReason never) =>
        new(null, $"{typeName} is {never.Reason}; {never.Advice}", Never: never);
}
