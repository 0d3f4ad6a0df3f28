using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>The TypeClassifier's answer for one type: a codec, or the reason the type cannot cross a process.</summary>
internal readonly record struct Classification(CodecModel? Codec, string? Reason)
{
    public bool IsSerializable => Codec is not null;

    public static Classification Of(CodecModel codec) => new(codec, null);

    public static Classification NotSerializable(string reason) => new(null, reason);
}
