namespace ProcPool.Protocol;

/// <summary>A frame body headed for a shared-memory ring, with the ring space reserved for it.</summary>
internal readonly record struct RingBody(SharedRing Ring, SharedRing.Reservation Reservation);

/// <summary>
/// The ring bodies of one outbox batch, in order. Not a <c>List&lt;RingBody&gt;</c>: ReadyToRun cannot precompile a
/// framework collection over one of our structs, and the outbox is on every worker's path to its first answer.
/// </summary>
internal sealed class RingBodyList
{
    private RingBody[] _items = new RingBody[4];

    public int Count { get; private set; }

    public RingBody this[int index] => _items[index];

    public void Add(RingBody body)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = body;
    }

    public void Clear()
    {
        // The reservations hold rings; do not keep them alive after the batch.
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
