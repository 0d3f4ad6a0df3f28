using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool;

/// <summary>One submitted call of a task: its arguments, and its result once it arrives.</summary>
internal sealed class PoolCall<TArgs, TResult> : PoolResult<TResult>
    where TArgs : struct
{
    private readonly PoolTask<TArgs, TResult> _task;
    private readonly TArgs _arguments;

    public PoolCall(PoolTask<TArgs, TResult> task, in TArgs arguments) : base(task)
    {
        _task = task;
        _arguments = arguments;
    }

    internal override void WriteArguments(PoolWriter writer) => _task.WriteArguments(writer, in _arguments);

    internal override void SetResultFrom(ref PoolReader reader)
    {
        var value = _task.ReadResult(ref reader);
        // Checked here first so the message (an interpolated string) is only built for the error.
        if (reader.Remaining != 0) reader.EnsureEnd($"result of {_task.Name}");
        TrySetResult(value);
    }
}
