namespace ProcPool.Generator.Model;

/// <summary>
/// How a value of one type crosses the process boundary: a closed set of cases decided by the TypeClassifier and
/// turned into read/write code by the CodecEmitter. Records, so a model that holds one compares by value.
/// </summary>
internal abstract record CodecModel(string TypeName)
{
    /// <summary>A primitive written by <c>PoolWriter.Write{Suffix}</c> and read by <c>PoolReader.Read{Suffix}</c>.</summary>
    public sealed record Primitive(string TypeName, string Suffix) : CodecModel(TypeName);

    /// <summary>A string: UTF-8 with a byte-count prefix, -1 for null.</summary>
    public sealed record Utf8String(string TypeName, bool IsNullable) : CodecModel(TypeName);

    /// <summary>A one-dimensional array of an unmanaged element type: count, then one block copy.</summary>
    public sealed record UnmanagedArray(string TypeName, string ElementTypeName, bool IsNullable) : CodecModel(TypeName);

    /// <summary>Nothing on the wire: the result of a task that returns nothing.</summary>
    public sealed record None() : CodecModel("global::ProcPool.Runtime.Unit");
}
