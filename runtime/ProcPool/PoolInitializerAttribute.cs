namespace ProcPool;

/// <summary>
/// Marks a static <c>void</c> method that builds per-worker state (a connection, a native handle, a lock shared
/// through <c>SharedLock</c>) once in every worker before its first task: Python's <c>Pool(initializer=...)</c>.
/// Its arguments are checked and encoded like a task's.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PoolInitializerAttribute : Attribute
{
}
