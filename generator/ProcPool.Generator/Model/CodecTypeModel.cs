namespace ProcPool.Generator.Model;

/// <summary>
/// A codec the generator writes as a file of its own: a <c>readonly struct</c> implementing <c>IPoolCodec&lt;T&gt;</c>
/// in the assembly's generated namespace. Every task model lists the ones its parameters and result need; the
/// generator emits each distinct one once.
/// </summary>
/// <param name="CodecName">The struct's name, unique per type: a readable part and a hash of the full type name.</param>
/// <param name="TypeName">The type it encodes, fully qualified.</param>
/// <param name="DisplayName">The type as messages show it, e.g. <c>Order</c>.</param>
internal abstract record CodecTypeModel(string CodecName, string TypeName, string DisplayName)
{
    public string HintName => $"Codecs/{CodecName}.g.cs";
}

/// <summary>How the reader builds an object once its members are read.</summary>
internal enum ObjectConstruction
{
    /// <summary><c>new T(constructor members) { initializer members }</c>.</summary>
    Constructor,

    /// <summary><c>T result = default;</c> then each member assigned (value tuples, whose tuple syntax cannot follow <c>new</c>).</summary>
    AssignFields,
}

/// <summary>A user class, record or struct (or a tuple), written member by member.</summary>
/// <param name="IsValueType">A struct: no null marker, no subtype check.</param>
/// <param name="CheckExactType">A class that is not sealed: the writer refuses a subclass instance, whose extra state would be lost.</param>
/// <param name="Construction">How the reader creates the value.</param>
/// <param name="Members">The members that travel, in wire order.</param>
internal sealed record ObjectCodecModel(
    string CodecName,
    string TypeName,
    string DisplayName,
    bool IsValueType,
    bool CheckExactType,
    ObjectConstruction Construction,
    EquatableArray<MemberModel> Members) : CodecTypeModel(CodecName, TypeName, DisplayName);

/// <summary>One member of an object that travels.</summary>
/// <param name="Name">The member's name as messages show it.</param>
/// <param name="Identifier">The member's name as code spells it (escaped if it is a keyword).</param>
/// <param name="Codec">How its value is written and read.</param>
/// <param name="ConstructorPosition">Its parameter's position in the constructor the reader calls, or -1.</param>
/// <param name="IsAssigned">Set by the object initializer (or assigned, for <see cref="ObjectConstruction.AssignFields"/>).</param>
internal sealed record MemberModel(string Name, string Identifier, CodecModel Codec, int ConstructorPosition, bool IsAssigned);

/// <summary>An abstract class or interface marked <c>[PoolUnion]</c>: a one-byte tag (0 null, n the n-th case), then the case.</summary>
internal sealed record UnionCodecModel(
    string CodecName,
    string TypeName,
    string DisplayName,
    EquatableArray<UnionCaseModel> Cases) : CodecTypeModel(CodecName, TypeName, DisplayName);

/// <summary>One case of a union, with its tag.</summary>
internal sealed record UnionCaseModel(int Tag, string TypeName, string DisplayName, bool IsValueType, CodecModel Codec);

/// <summary>A multi-dimensional array <c>T[,]</c>, <c>T[,,]</c>…: its lengths, then its elements row-major.</summary>
internal sealed record MultiDimensionalArrayCodecModel(
    string CodecName,
    string TypeName,
    string DisplayName,
    int Rank,
    CodecModel Element,
    bool ElementIsUnmanaged) : CodecTypeModel(CodecName, TypeName, DisplayName);

/// <summary>
/// Not a codec but the registration of one: a <c>SharedQueue&lt;T&gt;</c> in a task's signature makes the generator emit a
/// module initializer that tells the runtime which codec encodes T, so the parent's <c>SharedQueue&lt;T&gt;.Create()</c>
/// encodes items exactly as the workers decode them, without reflection.
/// </summary>
/// <param name="ItemTypeName">T, fully qualified.</param>
/// <param name="ItemCodecType">The <c>IPoolCodec&lt;T&gt;</c> that encodes T.</param>
internal sealed record SharedQueueRegistrationModel(
    string CodecName,
    string TypeName,
    string DisplayName,
    string ItemTypeName,
    string ItemCodecType) : CodecTypeModel(CodecName, TypeName, DisplayName);
