using System.Collections;
using ProcPool.Serialization;

namespace ProcPool.Protocol;

/// <summary>
/// Carries an exception across the process boundary as data: type name, message, stack trace, string entries of
/// <see cref="Exception.Data"/>, inner exceptions. The type name is only ever displayed, never resolved.
/// </summary>
internal static class RemoteErrorCodec
{
    private const int MaxInnerDepth = 8;
    private const int MaxInnerCount = 16;

    public static void Write(PoolWriter writer, Exception error) => Write(writer, error, 0);

    private static void Write(PoolWriter writer, Exception error, int depth)
    {
        writer.WriteString(error.GetType().FullName ?? error.GetType().Name);
        writer.WriteString(SafeMessage(error));
        writer.WriteString(SafeStackTrace(error));

        var data = new List<KeyValuePair<string, string>>();
        try
        {
            foreach (DictionaryEntry entry in error.Data)
                if (entry.Key is string key && entry.Value is string value) data.Add(new(key, value));
        }
        catch (Exception)
        {
            // A custom Data dictionary that throws must not turn one failure into another.
        }
        writer.WriteLength(data.Count);
        foreach (var (key, value) in data)
        {
            writer.WriteString(key);
            writer.WriteString(value);
        }

        IReadOnlyList<Exception> inners = depth >= MaxInnerDepth ? []
            : error is AggregateException aggregate ? aggregate.InnerExceptions.Take(MaxInnerCount).ToArray()
            : error.InnerException is { } single ? [single]
            : [];
        writer.WriteLength(inners.Count);
        foreach (var inner in inners) Write(writer, inner, depth + 1);
    }

    public static PoolTaskException Read(ref PoolReader reader, string taskName, int workerId, int workerPid, long? itemIndex = null) =>
        Read(ref reader, taskName, workerId, workerPid, 0, itemIndex);

    private static PoolTaskException Read(ref PoolReader reader, string taskName, int workerId, int workerPid, int depth, long? itemIndex)
    {
        if (depth > MaxInnerDepth) throw new PoolSerializationException("An exception from a worker nests deeper than allowed.");
        string type = reader.ReadString() ?? "?";
        string message = reader.ReadString() ?? "";
        string? stack = reader.ReadString();
        int dataCount = reader.ReadLength(minElementSize: 2);
        var data = new List<KeyValuePair<string, string>>(Math.Max(dataCount, 0));
        for (int i = 0; i < dataCount; i++)
            data.Add(new(reader.ReadString() ?? "", reader.ReadString() ?? ""));
        int innerCount = reader.ReadLength(minElementSize: 3);
        if (innerCount > MaxInnerCount) throw new PoolSerializationException($"An exception from a worker has {innerCount} inner exceptions, more than {MaxInnerCount}.");
        var inners = new List<PoolTaskException>(Math.Max(innerCount, 0));
        for (int i = 0; i < innerCount; i++) inners.Add(Read(ref reader, taskName, workerId, workerPid, depth + 1, null));
        var result = new PoolTaskException(taskName, type, message, stack, inners, workerId, workerPid, depth == 0 ? itemIndex : null);
        foreach (var (key, value) in data) result.Data[key] = value;
        return result;
    }

    private static string SafeMessage(Exception error)
    {
        try { return error.Message; }
        catch (Exception) { return "(the exception's Message threw)"; }
    }

    private static string? SafeStackTrace(Exception error)
    {
        try { return error.StackTrace; }
        catch (Exception) { return null; }
    }
}
