using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>Every type the issue lists as unpicklable, as a task parameter, through the real analyzer: the ID and the reason.</summary>
public class CatalogueTests
{
    [Theory]
    [InlineData("System.Threading.Lock", "an in-process lock")]
    [InlineData("System.Threading.Mutex", "an OS wait handle")]
    [InlineData("System.Threading.Semaphore", "an OS wait handle")]
    [InlineData("System.Threading.AutoResetEvent", "an OS wait handle")]
    [InlineData("System.Threading.SemaphoreSlim", "an in-process semaphore")]
    [InlineData("System.Threading.ReaderWriterLockSlim", "an in-process lock")]
    [InlineData("System.Threading.SpinLock", "an in-process lock")]
    [InlineData("System.Threading.Barrier", "an in-process barrier")]
    [InlineData("System.Threading.CountdownEvent", "an in-process event")]
    [InlineData("System.Threading.ManualResetEventSlim", "an in-process event")]
    [InlineData("System.Threading.Thread", "a thread of this process")]
    [InlineData("System.Threading.Tasks.Task", "an operation running in this process")]
    [InlineData("System.Threading.Tasks.Task<int>", "an operation running in this process")]
    [InlineData("System.Threading.Tasks.ValueTask", "an operation running in this process")]
    [InlineData("System.Threading.Tasks.ValueTask<int>", "an operation running in this process")]
    [InlineData("System.Threading.CancellationTokenSource", "give the [PoolTask] method a CancellationToken parameter")]
    [InlineData("System.Threading.Timer", "a timer running in this process")]
    [InlineData("System.Timers.Timer", "a timer running in this process")]
    [InlineData("System.IO.FileStream", "an open stream")]
    [InlineData("System.IO.Compression.GZipStream", "an open stream")]
    [InlineData("System.IO.StreamReader", "an open reader")]
    [InlineData("System.IO.StringWriter", "an open writer")]
    [InlineData("System.Net.Sockets.Socket", "an open network connection")]
    [InlineData("System.Net.Sockets.TcpClient", "an open network connection")]
    [InlineData("System.Net.Http.HttpClient", "a client holding open connections")]
    [InlineData("System.Data.Common.DbConnection", "an open database connection")]
    [InlineData("System.Data.Common.DbCommand", "a command bound to a database connection")]
    [InlineData("Microsoft.Win32.SafeHandles.SafeFileHandle", "an OS handle")]
    [InlineData("System.IntPtr", "a pointer or handle value")]
    [InlineData("System.UIntPtr", "a pointer or handle value")]
    [InlineData("nint", "a pointer or handle value")]
    [InlineData("System.Action", "code, not data")]
    [InlineData("System.Func<int, int>", "code, not data")]
    [InlineData("System.EventHandler", "code, not data")]
    [InlineData("System.Linq.Expressions.Expression<System.Func<int>>", "code, not data")]
    [InlineData("System.Type", "reflection metadata")]
    [InlineData("System.Reflection.MethodInfo", "reflection metadata")]
    [InlineData("System.Reflection.Assembly", "an assembly loaded in this process")]
    [InlineData("System.Diagnostics.Process", "a handle to a process")]
    [InlineData("System.IO.FileSystemWatcher", "an OS watch handle")]
    [InlineData("System.Threading.Channels.Channel<int>", "use SharedQueue<T>")]
    [InlineData("ProcPool.WorkerPool", "the pool itself, which lives in the parent process")]
    public Task Catalogued_type_is_PP0002_with_its_reason(string type, string reason) => AnalyzerVerifier.VerifyAsync($$"""
        public static class Tasks
        {
            [ProcPool.PoolTask] public static int Run({|#0:{{type}} value|}) => 0;
        }
        """,
        new Expected("PP0002", 0, "Parameter 'value' of Tasks.Run", reason));

    [Theory]
    [InlineData("int*", "a pointer into this process's memory")]
    [InlineData("delegate*<void>", "a pointer to code")]
    [InlineData("System.Span<byte>", "a ref struct")]
    [InlineData("System.ReadOnlySpan<char>", "a ref struct")]
    public Task Pointers_and_ref_structs_are_PP0005(string type, string reason) => AnalyzerVerifier.VerifyAsync($$"""
        public static unsafe class Tasks
        {
            [ProcPool.PoolTask] public static int Run({|#0:{{type}} value|}) => 0;
        }
        """,
        new Expected("PP0005", 0, "Parameter 'value' of Tasks.Run", reason));

    [Fact]
    public Task A_catalogued_result_type_is_PP0003() => AnalyzerVerifier.VerifyAsync("""
        public static class Tasks
        {
            [ProcPool.PoolTask] public static {|#0:System.Threading.Lock|} Make() => new();
        }
        """,
        new Expected("PP0003", 0, "The result of Tasks.Make", "Lock is an in-process lock"));
}
