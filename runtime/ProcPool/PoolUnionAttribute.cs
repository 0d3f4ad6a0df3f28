namespace ProcPool;

/// <summary>
/// Marks an abstract class or an interface whose values cross a process boundary as one of a known set of concrete
/// types. On the wire a value is a one-byte tag (its case's position in <paramref name="cases"/>, counted from 1; 0 is
/// null) followed by the case's own encoding: no type names travel. Append new cases at the end, so the tags of the
/// existing ones stay the same.
/// </summary>
/// <example>
/// <code>
/// [PoolUnion(typeof(Circle), typeof(Square))]
/// public abstract record Shape;
/// public sealed record Circle(double Radius) : Shape;
/// public sealed record Square(double Side) : Shape;
/// </code>
/// </example>
/// <param name="cases">The concrete types a value can be (at most 255), each deriving from or implementing the marked type.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = false, AllowMultiple = false)]
public sealed class PoolUnionAttribute(params Type[] cases) : Attribute
{
    /// <summary>The concrete types, in tag order.</summary>
    public IReadOnlyList<Type> Cases { get; } = cases;
}
