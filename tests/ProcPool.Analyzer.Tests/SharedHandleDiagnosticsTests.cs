using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>
/// SharedLock and SharedQueue&lt;T&gt; are what the PP0002 advice points to, so they must be accepted where a lock or an
/// in-process queue is refused: no PP0002, no PP0009 (they are disposable, but made to be arguments), and generated code
/// that compiles. The in-process lock stays refused.
/// </summary>
public class SharedHandleDiagnosticsTests
{
    [Fact]
    public Task SharedLock_and_SharedQueue_parameters_cross_without_a_diagnostic() => AnalyzerVerifier.VerifyAsync("""
        using System.Collections.Generic;
        using ProcPool;
        public sealed record Order(int Id, string Symbol);
        public sealed record Job(string Name, SharedLock Gate, SharedQueue<Order> Results);
        public static class Tasks
        {
            [PoolTask] public static int Count(SharedLock gate, int n) => n;
            [PoolTask] public static void Write(SharedQueue<char> letters, string text) { }
            [PoolTask] public static int Orders(SharedQueue<Order> orders, SharedQueue<List<Order>> batches) => 0;
            [PoolTask] public static void Run(Job job) { }
            [PoolInitializer] public static void Start(SharedLock gate) { }
        }
        public static class Calls
        {
            public static void Use(WorkerPool pool, SharedLock gate, SharedQueue<char> letters)
            {
                pool.ApplyAsync(Tasks.Count, gate, 1);
                pool.WriteAsync(letters, "hello");
                WorkerProcess.Start(Tasks.Write, letters, "world");
            }
        }
        """);

    [Fact]
    public Task The_in_process_Lock_is_still_refused_and_points_to_SharedLock() => AnalyzerVerifier.VerifyAsync("""
        using System.Threading;
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int Count({|#0:Lock gate|}, SharedLock shared) => 0;
            [PoolTask] public static int Drain({|#1:System.Threading.Channels.Channel<int> items|}, SharedQueue<int> shared) => 0;
        }
        """,
        new Expected("PP0002", 0, "Lock is an in-process lock", "use SharedLock for a lock shared by all workers"),
        new Expected("PP0002", 1, "an in-process queue", "use SharedQueue<T>, which every worker can use"));

    [Fact]
    public Task A_queue_of_something_that_cannot_cross_is_refused_with_its_path() => AnalyzerVerifier.VerifyAsync("""
        using System.IO;
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int Read({|#0:SharedQueue<Stream> streams|}) => 0;
        }
        """,
        new Expected("PP0004", 0, "SharedQueue<Stream>[]", "an open stream"));

    [Fact]
    public Task A_lambda_passed_to_WorkerProcess_Start_is_PP0008() => AnalyzerVerifier.VerifyAsync("""
        using ProcPool;
        public static class Calls
        {
            public static void Use() => WorkerProcess.Start({|#0:() => 42|});
        }
        """,
        new Expected("PP0008", 0));
}
