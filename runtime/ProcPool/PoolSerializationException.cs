namespace ProcPool;

/// <summary>
/// A value could not be encoded for, or decoded from, the wire: corrupt or truncated data, a graph deeper than
/// the configured limit, a reference cycle, or bytes produced by a different build of the task's code.
/// </summary>
public sealed class PoolSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PoolSerializationException(string message) : base(message) { }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    public PoolSerializationException(string message, Exception? innerException) : base(message, innerException) { }
}
