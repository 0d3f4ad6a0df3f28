using System.Numerics;

namespace ProcPool.Serialization;

/// <summary>
/// First buffers of writers and frame readers. Allocated, not rented: a worker creates its writers and readers before
/// its first answer, and the shared <see cref="System.Buffers.ArrayPool{T}"/> costs about a millisecond to set up
/// (its per-core and per-thread tables) on first use. The length is a power of two, as the pool's own arrays are, so
/// the buffer can go back to the pool when it is replaced by a larger one.
/// </summary>
internal static class PoolBuffers
{
    private const int LargestPooledLength = 1 << 30;

    public static byte[] Allocate(int minimumLength) =>
        new byte[minimumLength > LargestPooledLength ? minimumLength : (int)BitOperations.RoundUpToPowerOf2((uint)minimumLength)];
}
