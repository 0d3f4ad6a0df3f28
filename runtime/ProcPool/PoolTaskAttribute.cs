namespace ProcPool;

/// <summary>
/// Marks a static method as a task that can run in a worker process. The ProcPool generator then emits a typed
/// stub (<c>pool.&lt;Method&gt;Async(...)</c>), the worker's dispatch entry and the codecs of its parameter and
/// result types, and reports at compile time any parameter that cannot cross a process boundary.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PoolTaskAttribute : Attribute
{
}
