using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>Turns an error a worker sent (error kind and exception data) into the exception the caller sees.</summary>
internal static class RemoteErrors
{
    public static Exception Read(ref PoolReader reader, PoolResult call, int workerId, int processId, long? itemIndex)
    {
        var kind = (ErrorKind)reader.ReadByte();
        var remote = RemoteErrorCodec.Read(ref reader, call.TaskName, workerId, processId, itemIndex);
        string where = itemIndex is { } index ? $" on item {index}" : "";
        return kind switch
        {
            ErrorKind.Cancelled => new OperationCanceledException($"{call.TaskName} was cancelled{where} in worker {workerId}.", remote, call.CancellationToken),
            ErrorKind.Serialization => new PoolSerializationException($"Worker {workerId} could not decode the arguments or encode the result of {call.TaskName}{where}: {remote.RemoteMessage}", remote),
            ErrorKind.TaskFailed or ErrorKind.UnknownTask => remote,
            _ => throw new PoolSerializationException($"Unknown error kind {(byte)kind} from worker {workerId}."),
        };
    }
}
