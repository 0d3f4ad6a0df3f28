namespace ProcPool.Generator.Model;

/// <summary>
/// How a value of one type is written and read where it appears: a parameter, a result, a member, an element. A
/// closed set of cases decided by the TypeClassifier and turned into code by the CodecEmitter. Records, so a model
/// that holds one compares by value. Types that need code of their own (user types, unions, multi-dimensional arrays)
/// are <see cref="Composite"/> here and described once by a <see cref="CodecTypeModel"/>.
/// </summary>
/// <param name="TypeName">The type, fully qualified, without nullable reference annotations.</param>
/// <param name="CodecType">
/// The <c>IPoolCodec&lt;T&gt;</c> implementation for the type, used when it is the element of a collection codec:
/// a runtime codec such as <c>global::ProcPool.Serialization.Codecs.ListCodec&lt;T, TCodec&gt;</c>, or the name of a
/// generated one (in the assembly's generated namespace).
/// </param>
internal abstract record CodecModel(string TypeName, string CodecType)
{
    /// <summary>
    /// True when writing the value never enters an object of the graph, so generated code need not record where it
    /// is for error messages (primitives, strings, unmanaged values and arrays of them).
    /// </summary>
    public virtual bool IsLeaf => true;

    /// <summary>A value written by <c>PoolWriter.Write{Suffix}</c> and read by <c>PoolReader.Read{Suffix}</c>: primitives and the framework value types.</summary>
    public sealed record Primitive(string TypeName, string Suffix, string CodecType) : CodecModel(TypeName, CodecType);

    /// <summary>A string: UTF-8 with a zig-zag varint header, -1 for null.</summary>
    public sealed record Utf8String(string TypeName) : CodecModel(TypeName, RuntimeCodecs.Name("StringCodec"));

    /// <summary>
    /// An enum of 16 bits or more: its underlying value, written as that type is (a varint), cast on the way in and out.
    /// </summary>
    /// <param name="TypeName">The enum, fully qualified.</param>
    /// <param name="Underlying">How its underlying type is written.</param>
    public sealed record EnumValue(string TypeName, Primitive Underlying)
        : CodecModel(TypeName, RuntimeCodecs.Name("EnumCodec", TypeName, Underlying.TypeName, Underlying.CodecType));

    /// <summary>Any other unmanaged value (byte-sized enums, unmanaged structs): its raw bytes.</summary>
    public sealed record Unmanaged(string TypeName) : CodecModel(TypeName, RuntimeCodecs.Name("UnmanagedCodec", TypeName));

    /// <summary>A one-dimensional array of an unmanaged element type: count, then one block copy.</summary>
    public sealed record UnmanagedArray(string TypeName, string ElementTypeName)
        : CodecModel(TypeName, RuntimeCodecs.Name("UnmanagedArrayCodec", ElementTypeName));

    /// <summary>Anything written through a codec type: collections, nullables, open types, and the generated codecs of user types.</summary>
    public sealed record Composite(string TypeName, string CodecType) : CodecModel(TypeName, CodecType)
    {
        /// <inheritdoc />
        public override bool IsLeaf => false;
    }

    /// <summary>Nothing on the wire: the result of a task that returns nothing.</summary>
    public sealed record None() : CodecModel("global::ProcPool.Runtime.Unit", "");
}

/// <summary>Names of the runtime's codecs, as generated code spells them.</summary>
internal static class RuntimeCodecs
{
    public const string Namespace = "global::ProcPool.Serialization.Codecs";

    public static string Name(string codec, params string[] typeArguments) =>
        typeArguments.Length == 0 ? $"{Namespace}.{codec}" : $"{Namespace}.{codec}<{string.Join(", ", typeArguments)}>";
}
