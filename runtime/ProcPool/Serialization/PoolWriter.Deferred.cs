using System.Runtime.InteropServices;

namespace ProcPool.Serialization;

/// <summary>
/// Large arrays a writer may leave where they are instead of copying them in, for frames that go to a shared ring:
/// the ring copy then takes them straight from the array, one copy instead of two. A worker's result buffer does this
/// (the task that returned the array has finished), and so does the parent's outbox, which copies a call's arrays into
/// the ring when it flushes the call (arguments are read at send time anyway: a call may wait in the queue, so a
/// caller must not change them until the call completes). Anyone else reading the written bytes gets them filled in.
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
        long size = (long)values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        // Too large for any message: the copying path reports it as a clean encoding error.
        if (size < DeferredArrayMinimumBytes || size > Array.MaxLength) return false;
        int byteLength = (int)size;
        WriteLength(values.Length);
        // Room is made (so later offsets stay where they would be) but left untouched until filled in or copied past.
        GetSpan(byteLength);
        (_deferred ??= []).Add(new DeferredBytes(_length, values, byteLength));
        _length += byteLength;
        return true;
    }

    /// <summary>Copies the deferred arrays into the buffer.</summary>
    private void FillDeferred() => FillDeferredFrom(0);

    /// <summary>Copies the arrays deferred at or after <paramref name="offset"/> into the buffer (a frame that goes through a pipe after all).</summary>
    internal void FillDeferredFrom(int offset)
    {
        if (_deferred is not { Count: > 0 }) return;
        int first = _deferred.Count;
        while (first > 0 && _deferred[first - 1].Offset >= offset) first--;
        for (int i = first; i < _deferred.Count; i++)
            _deferred[i].Bytes.CopyTo(_buffer.AsSpan(_deferred[i].Offset, _deferred[i].Length));
        _deferred.RemoveRange(first, _deferred.Count - first);
    }

    private void ForgetDeferredFrom(int length)
    {
        if (_deferred is not { Count: > 0 }) return;
        int keep = _deferred.Count;
        while (keep > 0 && _deferred[keep - 1].Offset >= length) keep--;
        _deferred.RemoveRange(keep, _deferred.Count - keep);
        // An array cut by the truncation: what is kept of it goes into the buffer now, since later writes take the rest.
        if (keep > 0 && _deferred[keep - 1] is var last && last.Offset + last.Length > length)
        {
            last.Bytes[..(length - last.Offset)].CopyTo(_buffer.AsSpan(last.Offset));
            _deferred.RemoveAt(keep - 1);
        }
    }
}
