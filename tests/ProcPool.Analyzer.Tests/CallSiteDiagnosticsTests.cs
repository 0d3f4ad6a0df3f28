using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>PP0008 and call-site PP0002, on real calls of the real runtime's ApplyAsync/Apply and of stubs.</summary>
public class CallSiteDiagnosticsTests
{
    private const string Tasks = """
        using ProcPool;
        namespace App;
        public static class Tasks
        {
            [PoolTask] public static int Twice(int x) => 2 * x;
            public static int NotATask(int x) => x;
            public static int Describe(object value) => 0;
        }
        """;

    [Fact]
    public Task PP0008_lambda_anonymous_method_local_function_and_plain_method() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using ProcPool;
        namespace App;
        public static class Caller
        {
            public static void Run(WorkerPool pool, int captured)
            {
                pool.ApplyAsync({|#0:(int x) => x + captured|}, 1);
                pool.Apply({|#1:delegate (int x) { return x; }|}, 1);
                pool.ApplyAsync({|#2:Local|}, 1);
                pool.ApplyAsync({|#3:Tasks.NotATask|}, 1);
                pool.ApplyAsync(Tasks.Twice, 1);
                int Local(int x) => x + captured;
            }
        }
        """],
        [
            new Expected("PP0008", 0, "A lambda", "lambdas capture state", "move the body into a static [PoolTask] method"),
            new Expected("PP0008", 1, "An anonymous method"),
            new Expected("PP0008", 2, "The local function 'Local'", "local functions capture state"),
            new Expected("PP0008", 3, "'Tasks.NotATask'", "no [PoolTask] attribute", "add [PoolTask] to it"),
        ]);

    [Fact]
    public Task PP0008_for_the_initializer_API_asks_for_PoolInitializer() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using ProcPool;
        namespace App;
        public static class Setup
        {
            [PoolInitializer] public static void Open(string source) { }
            public static void NotAnInitializer(string source) { }
        }
        public static class Caller
        {
            public static PoolOptions Options(string captured) => new()
            {
                Initializer = PoolInitializer.Create({|#0:(string s) => System.Console.WriteLine(s + captured)|}, "x"),
            };

            public static PoolInitializer Plain() => PoolInitializer.Create({|#1:Setup.NotAnInitializer|}, "x");

            public static PoolInitializer Fine() => PoolInitializer.Create(Setup.Open, "db");
        }
        """],
        [
            new Expected("PP0008", 0, "A lambda"),
            new Expected("PP0008", 1, "'Setup.NotAnInitializer'", "[PoolInitializer]"),
        ]);

    [Fact]
    public Task PP0008_explicit_delegate_creation_is_checked_too() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using System;
        using ProcPool;
        namespace App;
        public static class Caller
        {
            public static void Run(WorkerPool pool) => pool.ApplyAsync({|#0:new Func<int, int>(Tasks.NotATask)|}, 1);
        }
        """],
        [new Expected("PP0008", 0, "'Tasks.NotATask'")]);

    [Fact]
    public Task A_delegate_variable_and_a_non_pool_method_are_not_judged() => AnalyzerVerifier.VerifyAsync([Tasks, """
        using System;
        using System.Linq;
        using ProcPool;
        namespace App;
        public static class Caller
        {
            public static void Run(WorkerPool pool, Func<int, int> f)
            {
                pool.ApplyAsync(f, 1);                         // only the runtime can tell what f is
                var doubled = new[] { 1, 2 }.Select(x => x * 2); // not a pool call
                var options = new PoolOptions { WorkerOutput = line => Console.WriteLine(line) }; // a callback, runs here
            }
        }
        """], []);

    [Fact]
    public Task PP0002_at_an_argument_passed_to_an_object_parameter_through_ApplyAsync() => AnalyzerVerifier.VerifyAsync(
        [Tasks.Replace("public static int Describe(object value) => 0;", "[PoolTask] public static int Describe(object value) => 0;"), """
        using System.IO;
        using System.Threading;
        using ProcPool;
        namespace App;
        public static class Caller
        {
            public static void Run(WorkerPool pool, Lock gate, MemoryStream stream)
            {
                pool.ApplyAsync(Tasks.Describe, {|#0:gate|});
                pool.Apply(Tasks.Describe, {|#1:stream|});
                pool.ApplyAsync<object, int>(Tasks.Describe, {|#2:gate|});
                pool.ApplyAsync(Tasks.Describe, "text");
            }
        }
        """],
        [
            new Expected("PP0002", 0, "The argument 'gate' for parameter 'value' of Tasks.Describe", "Lock is an in-process lock", "SharedLock"),
            new Expected("PP0002", 1, "MemoryStream is an open stream"),
            new Expected("PP0002", 2, "Lock is an in-process lock"),
        ],
        // The declaration's own verdict on `object` belongs to the codec branch (PP0002 "not encodable yet" today, PP0006 after).
        ignore: d => d.Location.SourceTree!.FilePath == "Source0.cs");

    [Fact]
    public Task PP0002_at_an_argument_of_a_stub_whose_parameter_is_an_interface() => AnalyzerVerifier.VerifyAsync("""
        using System;
        using System.Threading;
        using ProcPool;
        namespace App;
        public interface IWork { }
        // Written as the generator writes a stub (an extension of WorkerPool marked [GeneratedCode("ProcPool.Generator")]);
        // the analyzer recognizes stubs by exactly that.
        public static class WorkStubs
        {
            [System.CodeDom.Compiler.GeneratedCode("ProcPool.Generator", "0.1.0")]
            public static PoolResult<int> DoAsync(this WorkerPool pool, object state, IWork? work = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        }
        public sealed class Job : IWork, IDisposable { public void Dispose() { } }
        public static class Caller
        {
            public static void Run(WorkerPool pool, SemaphoreSlim semaphore, Action callback)
            {
                pool.DoAsync({|#0:semaphore|});
                pool.DoAsync({|#1:callback|});
                pool.DoAsync(1, new Job());
            }
        }
        """,
        new Expected("PP0002", 0, "The argument 'semaphore' for parameter 'state' of DoAsync", "SemaphoreSlim is an in-process semaphore"),
        new Expected("PP0002", 1, "Action is code, not data"));

    [Fact]
    public Task PP0002_at_an_argument_of_a_generated_stub() => AnalyzerVerifier.VerifyAsync([
        Tasks.Replace("public static int Describe(object value) => 0;", "[PoolTask] public static int Describe(object value) => 0;"), """
        using System.Threading;
        using ProcPool;
        namespace App;
        public static class Caller
        {
            public static void Run(WorkerPool pool, Lock gate) => pool.DescribeAsync({|#0:gate|});
        }
        """],
        [new Expected("PP0002", 0, "The argument 'gate' for parameter 'value' of DescribeAsync")],
        ignore: d => d.Location.SourceTree!.FilePath == "Source0.cs");
}
