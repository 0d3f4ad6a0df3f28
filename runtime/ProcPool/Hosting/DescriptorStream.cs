using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProcPool.Interop;

namespace ProcPool.Hosting;

/// <summary>
/// A pipe end a worker inherited, read and written with plain read(2) and write(2). Not a <see cref="FileStream"/>:
/// its strategy and file-handle layers are code that every worker would page in before its first answer (about
/// 2 ms on a VM where a page fault costs tens of microseconds), for nothing a blocking pipe needs.
/// </summary>
internal sealed class DescriptorStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly FileAccess _access;

    public DescriptorStream(SafeFileHandle handle, FileAccess access)
    {
        _handle = handle;
        _access = access;
    }

    public override bool CanRead => _access == FileAccess.Read && !_handle.IsClosed;
    public override bool CanWrite => _access == FileAccess.Write && !_handle.IsClosed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Blocks until some bytes arrive; 0 once the other end is closed and everything has been read.</summary>
    public override unsafe int Read(Span<byte> buffer)
    {
        if (_access != FileAccess.Read) throw new NotSupportedException("This pipe end is for writing.");
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* bytes = buffer)
            {
                while (true)
                {
                    nint read = LibC.Read(fd, bytes, (nuint)buffer.Length);
                    if (read >= 0) return (int)read;
                    int error = Marshal.GetLastPInvokeError();
                    if (error != LibC.Interrupted) throw new IOException($"Reading the pipe failed (errno {error}).", error);
                }
            }
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Blocks until every byte is in the pipe.</summary>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        if (_access != FileAccess.Write) throw new NotSupportedException("This pipe end is for reading.");
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* bytes = buffer)
            {
                int done = 0;
                while (done < buffer.Length)
                {
                    nint written = LibC.Write(fd, bytes + done, (nuint)(buffer.Length - done));
                    if (written >= 0)
                    {
                        done += (int)written;
                        continue;
                    }
                    int error = Marshal.GetLastPInvokeError();
                    if (error == LibC.BrokenPipe) throw new IOException("Writing the pipe failed: the other process is gone.", error);
                    if (error != LibC.Interrupted) throw new IOException($"Writing the pipe failed (errno {error}).", error);
                }
            }
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    public override void Flush()
    {
        // Nothing is buffered here.
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle.Dispose();
        base.Dispose(disposing);
    }
}
