using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ProcPool.Tests;

/// <summary>Tasks that kill or corrupt their own worker, each the way real code does.</summary>
public static class CrashTasks
{
    [PoolTask]
    public static int FailFast(string message)
    {
        Environment.FailFast(message);
        return 0;
    }

    /// <summary>Dies (SIGKILL of itself) while its large argument is still in the worker's shared-memory ring.</summary>
    [PoolTask]
    public static int KillSelfHolding(byte[] data)
    {
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(10_000);
        return data.Length;
    }

    [PoolTask]
    public static int Recurse(int depth) => Recurse(depth + 1) + 1;

    /// <summary>Answers with a large result, then dies 100 ms later, while the parent may still be decoding the answer.</summary>
    [PoolTask]
    public static SlowToBuild AnswerThenDie(int length, int marker)
    {
        new Thread(() =>
        {
            Thread.Sleep(100);
            Process.GetCurrentProcess().Kill();
        }) { IsBackground = true }.Start();
        return new SlowToBuild(new byte[length], marker);
    }

    /// <summary>The same result as <see cref="AnswerThenDie"/>, from a worker that lives on.</summary>
    [PoolTask]
    public static SlowToBuild Answer(int length, int marker) => new(new byte[length], marker);

    /// <summary>An access violation inside native code, which .NET cannot turn into an exception.</summary>
    [PoolTask]
    public static int NativeCrash(int size)
    {
        Console.Error.WriteLine("about to write through a bad pointer in native code");
        Memset((nint)1, 0, (nuint)size);
        return 0;
    }

    // DllImport, not LibraryImport: the no-false-positive test compiles this project with ProcPool's generator only.
    [DllImport("libc", EntryPoint = "memset")]
    private static extern nint Memset(nint destination, int value, nuint count);

    [PoolTask]
    public static int ThrowOnBackgroundThread(string message)
    {
        new Thread(() => throw new InvalidOperationException(message)) { IsBackground = true }.Start();
        Thread.Sleep(10_000);
        return 0;
    }

    [PoolTask]
    public static int AllocateMegabytes(int megabytes)
    {
        var hold = new List<byte[]>();
        for (int i = 0; i < megabytes; i++) hold.Add(GC.AllocateArray<byte>(1 << 20));
        return hold.Count;
    }

    [PoolTask]
    public static int Suicide(int exitCode)
    {
        Console.Error.WriteLine($"exiting with {exitCode}");
        Environment.Exit(exitCode);
        return 0;
    }

    /// <summary>
    /// Writes raw bytes into the worker's own result pipe, as a buggy or hostile task could (the pipe's handle is on
    /// the worker's command line), then waits, so the parent meets the garbage before any real answer.
    /// </summary>
    [PoolTask]
    public static int CorruptResultPipe(byte[] garbage)
    {
        var args = Environment.GetCommandLineArgs();
        int at = Array.IndexOf(args, "--procpool-worker");
        var handle = new SafeFileHandle(nint.Parse(args[at + 3]), ownsHandle: false);
        using (var pipe = new FileStream(handle, FileAccess.Write, 1))
        {
            pipe.Write(garbage);
            pipe.Flush();
        }
        Thread.Sleep(5_000);
        return 0;
    }

    /// <summary>Writes the start of a frame into the result pipe, then exits: the parent sees the stream end mid-frame.</summary>
    [PoolTask]
    public static int CorruptThenExit(byte[] partialFrame)
    {
        var args = Environment.GetCommandLineArgs();
        int at = Array.IndexOf(args, "--procpool-worker");
        var handle = new SafeFileHandle(nint.Parse(args[at + 3]), ownsHandle: false);
        using (var pipe = new FileStream(handle, FileAccess.Write, 1))
        {
            pipe.Write(partialFrame);
            pipe.Flush();
        }
        Environment.Exit(0);
        return 0;
    }

    /// <summary>Throws while its initializer's flag file exists: for replacement workers that cannot start.</summary>
    [PoolInitializer]
    public static void FailIfFileExists(string path)
    {
        if (File.Exists(path)) throw new InvalidOperationException($"the flag file {path} exists");
    }
}

/// <summary>
/// A result whose construction takes <see cref="DelayInThisProcess"/> in the process that sets it: the test process
/// sets it, the worker never does, so only the parent's decoding is slow.
/// </summary>
public sealed class SlowToBuild
{
    public static int DelayInThisProcess;

    public SlowToBuild(byte[] data, int marker)
    {
        Data = data;
        Marker = marker;
        if (DelayInThisProcess > 0) Thread.Sleep(DelayInThisProcess);
    }

    public byte[] Data { get; }

    public int Marker { get; }
}
