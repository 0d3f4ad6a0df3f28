using System.ComponentModel;

namespace ProcPool.Serialization.Codecs;

/// <summary>
/// A parameter declared as a sequence interface (<see cref="IEnumerable{T}"/>, <see cref="IReadOnlyList{T}"/>,
/// <see cref="IList{T}"/>, <see cref="ICollection{T}"/>, <see cref="IReadOnlyCollection{T}"/>): written like a list
/// whatever the object behind it (enumerated once), materialized as a <see cref="List{T}"/> on the other side.
/// </summary>
/// <typeparam name="TSequence">The declared interface; <see cref="List{T}"/> must implement it.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SequenceCodec<TSequence, T, TCodec> : IPoolCodec<TSequence?>
    where TSequence : class, IEnumerable<T>
    where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, TSequence? value)
    {
        switch (value)
        {
            case T[] array:
                ArrayCodec<T, TCodec>.Write(writer, array);
                return;
            case List<T> list:
                ListCodec<T, TCodec>.Write(writer, list);
                return;
            default:
                CollectionWriting.Write<T, TCodec>(writer, value);
                return;
        }
    }

    /// <inheritdoc />
    public static TSequence? Read(ref PoolReader reader) => (TSequence?)(object?)ListCodec<T, TCodec>.Read(ref reader);
}

/// <summary>
/// A parameter declared as <see cref="IDictionary{TKey, TValue}"/> or <see cref="IReadOnlyDictionary{TKey, TValue}"/>:
/// written like a dictionary, materialized as a <see cref="Dictionary{TKey, TValue}"/>.
/// </summary>
/// <typeparam name="TMap">The declared interface; <see cref="Dictionary{TKey, TValue}"/> must implement it.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <typeparam name="TKeyCodec">The key codec.</typeparam>
/// <typeparam name="TValueCodec">The value codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct MapCodec<TMap, TKey, TValue, TKeyCodec, TValueCodec> : IPoolCodec<TMap?>
    where TMap : class, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
    where TKeyCodec : IPoolCodec<TKey>
    where TValueCodec : IPoolCodec<TValue>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, TMap? value) =>
        PairWriting.Write<TKey, TValue, TKeyCodec, TValueCodec>(writer, value);

    /// <inheritdoc />
    public static TMap? Read(ref PoolReader reader) =>
        (TMap?)(object?)DictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec>.Read(ref reader);
}

/// <summary>
/// A parameter declared as <see cref="ISet{T}"/> or <see cref="IReadOnlySet{T}"/>: written like a set, materialized
/// as a <see cref="HashSet{T}"/>.
/// </summary>
/// <typeparam name="TSet">The declared interface; <see cref="HashSet{T}"/> must implement it.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TCodec">The element codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SetCodec<TSet, T, TCodec> : IPoolCodec<TSet?>
    where TSet : class, IEnumerable<T>
    where TCodec : IPoolCodec<T>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, TSet? value) => SequenceCodec<TSet, T, TCodec>.Write(writer, value);

    /// <inheritdoc />
    public static TSet? Read(ref PoolReader reader) => (TSet?)(object?)HashSetCodec<T, TCodec>.Read(ref reader);
}
