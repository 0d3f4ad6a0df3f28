using System.ComponentModel;

namespace ProcPool.Serialization.Codecs;

/// <summary>
/// A <see cref="Dictionary{TKey, TValue}"/>: int32 count (-1 for null), then key, value pairs. The comparer does not
/// travel: the dictionary arrives with the default one.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <typeparam name="TKeyCodec">The key codec.</typeparam>
/// <typeparam name="TValueCodec">The value codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct DictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec> : IPoolCodec<Dictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCodec : IPoolCodec<TKey>
    where TValueCodec : IPoolCodec<TValue>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, Dictionary<TKey, TValue>? value) =>
        PairWriting.Write<TKey, TValue, TKeyCodec, TValueCodec>(writer, value);

    /// <inheritdoc />
    public static Dictionary<TKey, TValue>? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(TKeyCodec.MinimumSize + TValueCodec.MinimumSize);
        if (count < 0) return null;
        var result = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            var key = PairWriting.ReadKey<TKey, TKeyCodec>(ref reader);
            if (!result.TryAdd(key, TValueCodec.Read(ref reader))) throw PairWriting.DuplicateKey(ref reader);
        }
        return result;
    }
}

/// <summary>A <see cref="SortedDictionary{TKey, TValue}"/>: int32 count (-1 for null), then key, value pairs in key order.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <typeparam name="TKeyCodec">The key codec.</typeparam>
/// <typeparam name="TValueCodec">The value codec.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SortedDictionaryCodec<TKey, TValue, TKeyCodec, TValueCodec> : IPoolCodec<SortedDictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCodec : IPoolCodec<TKey>
    where TValueCodec : IPoolCodec<TValue>
{
    /// <inheritdoc />
    public static int MinimumSize => 4;

    /// <inheritdoc />
    public static void Write(PoolWriter writer, SortedDictionary<TKey, TValue>? value) =>
        PairWriting.Write<TKey, TValue, TKeyCodec, TValueCodec>(writer, value);

    /// <inheritdoc />
    public static SortedDictionary<TKey, TValue>? Read(ref PoolReader reader)
    {
        int count = reader.ReadLength(TKeyCodec.MinimumSize + TValueCodec.MinimumSize);
        if (count < 0) return null;
        var result = new SortedDictionary<TKey, TValue>();
        for (int i = 0; i < count; i++)
        {
            var key = PairWriting.ReadKey<TKey, TKeyCodec>(ref reader);
            var value = TValueCodec.Read(ref reader);
            bool added;
            try
            {
                added = result.TryAdd(key, value);
            }
            catch (InvalidOperationException e)
            {
                // The default comparer cannot order the key type: the same failure the caller would have had adding it.
                throw new PoolSerializationException($"Cannot order the keys of a SortedDictionary: {e.Message}", e);
            }
            if (!added) throw PairWriting.DuplicateKey(ref reader);
        }
        return result;
    }
}

/// <summary>What the dictionary codecs share.</summary>
internal static class PairWriting
{
    /// <summary>Each pair in enumeration order, and the count patched in after the last one.</summary>
    public static void Write<TKey, TValue, TKeyCodec, TValueCodec>(PoolWriter writer, IEnumerable<KeyValuePair<TKey, TValue>>? pairs)
        where TKeyCodec : IPoolCodec<TKey>
        where TValueCodec : IPoolCodec<TValue>
    {
        if (pairs is null)
        {
            writer.WriteLength(-1);
            return;
        }
        int countAt = writer.Reserve(sizeof(int));
        int index = 0;
        foreach (var (key, value) in pairs)
        {
            writer.SetIndex(index++);
            TKeyCodec.Write(writer, key);
            TValueCodec.Write(writer, value);
        }
        writer.PatchInt32(countAt, index);
    }

    public static TKey ReadKey<TKey, TKeyCodec>(ref PoolReader reader) where TKeyCodec : IPoolCodec<TKey>
    {
        var key = TKeyCodec.Read(ref reader);
        if (key is null) throw new PoolSerializationException($"A dictionary key is null before offset {reader.Position}.");
        return key;
    }

    public static PoolSerializationException DuplicateKey(ref PoolReader reader) =>
        new($"A dictionary key appears twice before offset {reader.Position}.");
}
