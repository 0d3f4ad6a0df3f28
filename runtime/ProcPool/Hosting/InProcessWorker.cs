using System.IO.Pipes;

namespace ProcPool.Hosting;

/// <summary>
/// <see cref="PoolMode.InProcess"/>: the worker loop runs on a thread of this process, behind the same pipes,
/// frames and codecs as a real worker, so arguments and results behave exactly as they would across processes.
/// There is no isolation: a crash takes the application down, and a timed-out task cannot be stopped.
/// </summary>
internal sealed class InProcessWorker : WorkerProcessHandle
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stream[] _workerEnds;
    private int _exitCode = -1;

    private InProcessWorker(Stream[] workerEnds) => _workerEnds = workerEnds;

    public override int ProcessId => Environment.ProcessId;

    public override bool HasExited => _ended.Task.IsCompleted;

    public static InProcessWorker Start(int id, PoolOptions options)
    {
        var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var control = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        var input = new AnonymousPipeClientStream(PipeDirection.In, toWorker.ClientSafePipeHandle);
        var output = new AnonymousPipeClientStream(PipeDirection.Out, fromWorker.ClientSafePipeHandle);
        var controlIn = new AnonymousPipeClientStream(PipeDirection.In, control.ClientSafePipeHandle);
        var worker = new InProcessWorker([input, output, controlIn]) { ToWorker = toWorker, FromWorker = fromWorker, Control = control };
        var thread = new Thread(() => worker.Run(id, options, input, output, controlIn))
        {
            IsBackground = true,
            Name = $"pp-inproc-{id}",
        };
        thread.Start();
        return worker;
    }

    private void Run(int id, PoolOptions options, Stream input, Stream output, Stream control)
    {
        try
        {
            using var host = new WorkerHost(input, output, control, id, options.MaxFrameSize, options.MaxDepth, exitProcessWhenParentGone: false);
            _exitCode = host.Run();
        }
        catch (Exception)
        {
            // The parent closed the pipes under us (Kill); there is nobody left to tell.
            _exitCode = 1;
        }
        finally
        {
            foreach (var stream in _workerEnds) stream.Dispose();
            _ended.TrySetResult();
            RaiseExited();
        }
    }

    /// <summary>
    /// Stops the worker as far as a thread can be stopped: the parent's calls pipe closes (the worker loop reads its
    /// end and stops after the current task) and the worker's results pipe closes (the parent sees it gone at once).
    /// Never disposes a stream another thread is blocked reading: on Unix that waits for the read.
    /// </summary>
    public override void Kill()
    {
        foreach (var stream in new[] { ToWorker, Control, _workerEnds[1] })
        {
            try { stream.Dispose(); }
            catch (Exception) { /* already closed */ }
        }
    }

    public override bool WaitForExit(TimeSpan timeout) => _ended.Task.Wait(timeout);

    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _ended.Task.WaitAsync(cancellationToken);

    public override string DescribeExit() => HasExited ? $"the in-process worker loop ended (code {_exitCode})" : "the in-process worker was stopped";

    public override int? ExitCode => null; // a thread, not a process
}
