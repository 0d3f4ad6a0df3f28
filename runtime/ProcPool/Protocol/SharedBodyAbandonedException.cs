namespace ProcPool.Protocol;

/// <summary>
/// A message streamed through shared memory will never be complete: its sender died while copying it in. An
/// <see cref="IOException"/>, so the connection's reader treats it as what it is, the other process gone.
/// </summary>
internal sealed class SharedBodyAbandonedException(string message) : IOException(message);
