namespace ProcPool;

/// <summary>
/// The conversation with a worker broke: a corrupt, truncated, oversized or wrong-version frame. Only the
/// tasks that worker held fail with it; the worker is replaced.
/// </summary>
public sealed class PoolProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PoolProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    public PoolProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
