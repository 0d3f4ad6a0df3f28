namespace ProcPool.Hosting;

/// <summary>
/// A small set of call ids: the calls a worker was told to cancel before they started, which is almost always
/// empty. Not a <c>HashSet&lt;long&gt;</c>: ReadyToRun cannot precompile that instantiation, and a worker checks this
/// set before its first call.
/// </summary>
internal sealed class CallIdSet
{
    private long[] _ids = new long[4];
    private int _count;

    public void Add(long id)
    {
        if (Contains(id)) return;
        if (_count == _ids.Length)
        {
            var larger = new long[_ids.Length * 2];
            Array.Copy(_ids, larger, _count);
            _ids = larger;
        }
        _ids[_count++] = id;
    }

    /// <summary>Removes <paramref name="id"/>; false if it was not in the set.</summary>
    public bool Remove(long id)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_ids[i] != id) continue;
            _ids[i] = _ids[--_count];
            return true;
        }
        return false;
    }

    private bool Contains(long id)
    {
        for (int i = 0; i < _count; i++)
            if (_ids[i] == id) return true;
        return false;
    }
}
