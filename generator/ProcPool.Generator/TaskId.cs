namespace ProcPool.Generator;

/// <summary>
/// The id a task travels under: FNV-1a (32 bits) of the assembly name and the method's signature. Stable across
/// builds and machines, so a parent and a worker built from the same code agree without any handshake.
/// </summary>
internal static class TaskId
{
    public static uint Compute(string assemblyName, string signature) => StableHash.Fnv1a32(assemblyName + "|" + signature);
}
