namespace ProcPool.Serialization;

/// <summary>
/// How values of <typeparamref name="T"/> cross a process boundary. Implemented by the runtime's codecs for framework
/// types and collections (in <c>ProcPool.Serialization.Codecs</c>) and by the generator's codecs for user types. Static members, so a
/// collection codec that takes its element codec as a type argument calls it directly, without a delegate or a
/// virtual call: <c>ListCodec&lt;Order, OrderCodec&gt;</c>.
/// </summary>
/// <typeparam name="T">The type this codec encodes.</typeparam>
public interface IPoolCodec<T>
{
    /// <summary>The fewest bytes one value takes on the wire; collection readers check counts against it before allocating.</summary>
    static abstract int MinimumSize { get; }

    /// <summary>Writes <paramref name="value"/>.</summary>
    static abstract void Write(PoolWriter writer, T value);

    /// <summary>Reads a value written by <see cref="Write"/>.</summary>
    static abstract T Read(ref PoolReader reader);
}
