using System.Diagnostics;
using System.IO.Pipes;

namespace ProcPool.Hosting;

/// <summary>A worker in its own OS process, started with the application's runtimeconfig and deps files.</summary>
internal sealed class OsWorkerProcess : WorkerProcessHandle
{
    /// <summary>
    /// Pipe ends are inherited by whatever process starts while they are open; starting one worker at a time keeps
    /// worker A from holding worker B's pipes (which would hide B's death and keep B alive after the parent dies).
    /// </summary>
    private static readonly object SpawnLock = new();

    private readonly Process _process;

    private OsWorkerProcess(Process process) => _process = process;

    public override int ProcessId => _process.Id;

    public override bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    public static OsWorkerProcess Start(int id, WorkerLaunchPlan plan, PoolOptions options, Action<string?, bool> onOutput)
    {
        lock (SpawnLock)
        {
            AnonymousPipeServerStream? toWorker = null, fromWorker = null, control = null;
            SharedRingPair? shared = null;
            Process process;
            try
            {
                toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
                fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
                control = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
                // Calls and results may carry megabytes; the control pipe only carries 14-byte cancels.
                PipeBuffer.TryEnlarge(toWorker);
                PipeBuffer.TryEnlarge(fromWorker);
                shared = SharedRingPair.TryCreate(options.SharedMemorySize);
                var arguments = new WorkerArguments(id, toWorker.GetClientHandleAsString(), fromWorker.GetClientHandleAsString(),
                    control.GetClientHandleAsString(), options.MaxFrameSize, options.MaxDepth);
                var info = plan.CreateStartInfo(arguments);
                // No runtime settings of our own: a worker runs with the parent's JIT configuration, so a task's loop gets
                // the code it gets in the parent. Workers used to start with tiered PGO off (a shorter warm-up); that gave
                // the Pi loop another block layout than in the parent and cost the CPU-bound benchmark up to 25% (bench
                // --only d,e: Pi against Parallel.For 0.76-0.89x with it off, 0.96-1.01x with it on). Tiering up without
                // the 100 ms quiet period (DOTNET_TC_CallCountingDelayMs=0) warmed maps up sooner but made the pool's
                // start about 10 ms slower and its first map slower; both stay the user's to set in WorkerEnvironment.
                foreach (var (name, value) in options.WorkerEnvironment) info.Environment[name] = value;
                process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
            }
            catch (Exception e)
            {
                toWorker?.Dispose();
                fromWorker?.Dispose();
                control?.Dispose();
                shared?.Calls.Dispose();
                shared?.Results.Dispose();
                throw new InvalidOperationException($"Cannot start worker {id} ({plan.Describe()}): {e.Message}", e);
            }
            finally
            {
                // Whether the start worked or not, this process must not keep the worker's ends: a process started later
                // would inherit them (and a dead worker's pipes would look alive).
                toWorker?.DisposeLocalCopyOfClientHandle();
                fromWorker?.DisposeLocalCopyOfClientHandle();
                control?.DisposeLocalCopyOfClientHandle();
                shared?.CloseDescriptors();
            }
            var handle = new OsWorkerProcess(process) { ToWorker = toWorker, FromWorker = fromWorker, Control = control, SharedMemory = shared };
            process.OutputDataReceived += (_, e) => onOutput(e.Data, false);
            process.ErrorDataReceived += (_, e) => onOutput(e.Data, true);
            process.Exited += (_, _) => handle.RaiseExited();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return handle;
        }
    }

    public override void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public override bool WaitForExit(TimeSpan timeout)
    {
        try { return _process.WaitForExit(timeout); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { return true; }
    }

    public override async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // No process associated any more: it is gone.
        }
    }

    public override string DescribeExit() => ExitDescription.Describe(_process);

    public override int? ExitCode => ExitDescription.PythonExitCode(_process);
}
