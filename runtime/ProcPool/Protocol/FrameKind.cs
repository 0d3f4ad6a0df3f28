namespace ProcPool.Protocol;

/// <summary>What a frame carries. The numbers are part of the wire format (docs/wire-format.md).</summary>
internal enum FrameKind : byte
{
    /// <summary>Worker → parent, once: the worker is up. Body: int32 pid.</summary>
    Hello = 1,
    /// <summary>Parent → worker: run a task. Body: int64 call id, uint32 task id, arguments.</summary>
    Call = 2,
    /// <summary>Worker → parent: a task's result. Body: int64 call id, result.</summary>
    Result = 3,
    /// <summary>Worker → parent: a task failed. Body: int64 call id, byte error kind, remote exception.</summary>
    Error = 4,
    /// <summary>Parent → worker (control pipe): cancel a call. Body: int64 call id.</summary>
    Cancel = 5,
    /// <summary>Parent → worker: load an assembly that declares tasks. Body: string name, string path.</summary>
    LoadAssembly = 6,
    /// <summary>Parent → worker: finish what is queued, then exit.</summary>
    Shutdown = 7,
    /// <summary>Parent → worker: run a task over many items. Body: int64 call id, uint32 task id, int32 count, then per item an int32 length and the arguments.</summary>
    Chunk = 8,
    /// <summary>Worker → parent: the results of a chunk. Body: int64 call id, int32 count, then per item a status byte (0: int32 length and the result; 1: error kind and exception).</summary>
    ChunkResult = 9,
    /// <summary>Parent → worker: answer with <see cref="Pong"/> once everything before it is done (startup: assemblies loaded).</summary>
    Ping = 10,
    /// <summary>Worker → parent: the answer to <see cref="Ping"/>.</summary>
    Pong = 11,
    /// <summary>
    /// Either way: a frame whose body is in the shared-memory ring of this direction (<see cref="SharedRing"/>).
    /// Body: int64 end position in the ring, int32 body length. The body is a whole frame body (version, kind, payload).
    /// </summary>
    SharedBody = 12,
    /// <summary>Parent → worker, at start: map the inherited rings. Body: int32 calls-ring fd, int32 results-ring fd, int32 capacity.</summary>
    SharedMemory = 13,
    /// <summary>Worker → parent: the rings are mapped; the parent may send <see cref="SharedBody"/> frames.</summary>
    SharedMemoryReady = 14,
}

/// <summary>Why a task ended in an <see cref="FrameKind.Error"/> frame.</summary>
internal enum ErrorKind : byte
{
    /// <summary>The task threw.</summary>
    TaskFailed = 1,
    /// <summary>The task was cancelled before or while running.</summary>
    Cancelled = 2,
    /// <summary>The worker could not decode the arguments or encode the result.</summary>
    Serialization = 3,
    /// <summary>The worker does not know the task (its assembly failed to load, or the builds differ).</summary>
    UnknownTask = 4,
}
