namespace ProcPool.Serialization;

/// <summary>
/// How much of a message has arrived, for a message its sender is still copying in (a large frame streamed through
/// shared memory). A <see cref="PoolReader"/> over such a message asks it only when a read reaches past what it knows.
/// </summary>
internal abstract class BodyArrival
{
    /// <summary>Bytes of the message readable now, from its start.</summary>
    public abstract int Arrived { get; }

    /// <summary>
    /// Blocks until at least <paramref name="count"/> bytes from the message's start have arrived; returns how many
    /// have. Throws if the sender can no longer deliver them (it died).
    /// </summary>
    public abstract int WaitFor(int count);
}
