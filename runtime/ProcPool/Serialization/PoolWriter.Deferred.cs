using System.Runtime.InteropServices;

namespace ProcPool.Serialization;

/// <summary>
/// Large arrays a writer may leave where they are instead of copying them in. Only for a writer whose frames are
/// copied out at once by the thread that wrote them (a worker's result buffer): the frame then goes to a shared ring
/// with one copy from the array instead of two, and the array cannot change in between, since the task that returned
/// it has finished. Anyone else reading the written bytes gets them filled in first.
/// </summary>
public sealed partial class PoolWriter
{
    /// <summary>Arrays at least this large are referenced rather than copied, where the writer allows it.</summary>
    internal const int DeferredArrayMinimumBytes = 64 * 1024;

    private List<DeferredBytes>? _deferred;

    /// <summary>Bytes at <paramref name="Offset"/> of the buffer that are still in <paramref name="Source"/>.</summary>
    internal readonly record struct DeferredBytes(int Offset, Array Source, int Length)
    {
        public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(Source), Length);
    }

    /// <summary>Whether large arrays may be referenced instead of copied (see the type's remarks); off by default.</summary>
    internal bool DefersLargeArrays { get; set; }

    /// <summary>The ranges of the buffer still in their arrays, in order; empty when every byte is in the buffer.</summary>
    internal ReadOnlySpan<DeferredBytes> Deferred => _deferred is null ? default : CollectionsMarshal.AsSpan(_deferred);

    /// <summary>The written bytes as they are in the buffer, with the deferred ranges not filled in.</summary>
    internal ReadOnlySpan<byte> UnfilledSpan => _buffer.AsSpan(0, _length);

    private bool TryDefer<T>(T[] values) where T : unmanaged
    {
        int byteLength = values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (byteLength < DeferredArrayMinimumBytes) return false;
        WriteLength(values.Length);
        // Room is made (so later offsets stay where they would be) but left untouched until filled in or copied past.
        GetSpan(byteLength);
        (_deferred ??= []).Add(new DeferredBytes(_length, values, byteLength));
        _length += byteLength;
        return true;
    }

    /// <summary>Copies the deferred arrays into the buffer.</summary>
    private void FillDeferred()
    {
        foreach (var deferred in CollectionsMarshal.AsSpan(_deferred))
            deferred.Bytes.CopyTo(_buffer.AsSpan(deferred.Offset, deferred.Length));
        _deferred!.Clear();
    }

    private void ForgetDeferredFrom(int length)
    {
        if (_deferred is null) return;
        int keep = _deferred.Count;
        while (keep > 0 && _deferred[keep - 1].Offset >= length) keep--;
        _deferred.RemoveRange(keep, _deferred.Count - keep);
    }
}
