using ProcPool.Analyzer.Tests.Infrastructure;

namespace ProcPool.Analyzer.Tests;

/// <summary>One test (or more) per declaration diagnostic, through the real analyzer and the real generator.</summary>
public class DeclarationDiagnosticsTests
{
    [Fact]
    public Task PP0001_instance_generic_private_and_abstract_methods() => AnalyzerVerifier.VerifyAsync("""
        using ProcPool;
        public class Tasks
        {
            [PoolTask] public int {|#0:Instance|}(int x) => x;
            [PoolTask] public static T {|#1:Generic|}<T>(T x) => x;
            [PoolTask] private static int {|#2:Hidden|}(int x) => x;
            public static int Use() => Hidden(1);
        }
        public static class Outer
        {
            private static class Inner { [PoolTask] public static int {|#3:Nested|}(int x) => x; }
        }
        """,
        new Expected("PP0001", 0, "Tasks.Instance", "not static"),
        new Expected("PP0001", 1, "generic"),
        new Expected("PP0001", 2, "private", "make it internal or public"),
        new Expected("PP0001", 3, "Inner is private"));

    [Fact]
    public Task PP0002_lock_parameter_says_why_and_what_to_do() => AnalyzerVerifier.VerifyAsync("""
        using System.Threading;
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int Count(int n, {|#0:Lock gate|}) => n;
        }
        """,
        new Expected("PP0002", 0,
            "Parameter 'gate' of Tasks.Count",
            "Lock is an in-process lock",
            "in-process locks can't cross to a worker",
            "use SharedLock for a lock shared by all workers, or create per-worker state in a [PoolInitializer] method"));

    [Fact]
    public Task PP0002_matches_subclasses_and_interfaces() => AnalyzerVerifier.VerifyAsync("""
        using System.IO;
        using System.Threading;
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int Read({|#0:MemoryStream data|}) => 0;
            [PoolTask] public static int Wait({|#1:ManualResetEvent signal|}) => 0;
            [PoolTask] public static int Log({|#2:StreamWriter log|}) => 0;
        }
        """,
        new Expected("PP0002", 0, "MemoryStream is an open stream", "pass a byte[]"),
        new Expected("PP0002", 1, "ManualResetEvent is an OS wait handle"),
        new Expected("PP0002", 2, "StreamWriter is an open writer"));

    [Fact]
    public Task PP0003_result_that_cannot_cross_back() => AnalyzerVerifier.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static {|#0:Stream|} Open(string path) => File.OpenRead(path);
            [PoolTask] public static {|#1:Task<Stream>|} OpenLaterAsync(string path) => Task.FromResult<Stream>(File.OpenRead(path));
            [PoolTask] public static {|#2:Task<Task>|} Nested() => Task.FromResult(Task.CompletedTask);
        }
        """,
        new Expected("PP0003", 0, "The result of Tasks.Open", "Stream is an open stream"),
        new Expected("PP0003", 1, "The result of Tasks.OpenLaterAsync", "Stream is an open stream"),
        new Expected("PP0003", 2, "Task is an operation running in this process"));

    [Fact]
    public Task PP0004_member_path_inside_a_user_type() => AnalyzerVerifier.VerifyAsync("""
        using System.IO;
        using ProcPool;
        public sealed class Job { public string Name { get; set; } = ""; public StreamWriter Log { get; set; } = null!; }
        public static class Tasks
        {
            [PoolTask] public static int Run({|#0:Job job|}) => 0;
        }
        """,
        new Expected("PP0004", 0, "Parameter 'job' of Tasks.Run", "Job.Log (StreamWriter)", "an open writer"));

    [Fact]
    public Task PP0005_ref_out_in_pointers_and_ref_structs() => AnalyzerVerifier.VerifyAsync("""
        using System;
        using ProcPool;
        public static unsafe class Tasks
        {
            [PoolTask] public static void A({|#0:ref int x|}) { }
            [PoolTask] public static void B({|#1:out int x|}) { x = 0; }
            [PoolTask] public static void C({|#2:in int x|}) { }
            [PoolTask] public static void D({|#3:int* p|}) { }
            [PoolTask] public static void E({|#4:Span<int> values|}) { }
            [PoolTask] public static void F({|#5:delegate*<int, int> f|}) { }
        }
        """,
        new Expected("PP0005", 0, "Parameter 'x' of Tasks.A", "a ref parameter"),
        new Expected("PP0005", 1, "an out parameter"),
        new Expected("PP0005", 2, "an in parameter"),
        new Expected("PP0005", 3, "int* is a pointer into this process's memory"),
        new Expected("PP0005", 4, "Span<int> is a ref struct", "ReadOnlyMemory<T>"),
        new Expected("PP0005", 5, "a pointer to code"));

    [Fact]
    public Task PP0006_object_interface_and_abstract_parameters_warn() => AnalyzerVerifier.VerifyAsync("""
        using ProcPool;
        public interface IShape { double Area { get; } }
        public abstract class Animal { public string Name { get; set; } = ""; }
        public static class Tasks
        {
            [PoolTask] public static int A({|#0:object value|}) => 0;
            [PoolTask] public static int B({|#1:IShape shape|}) => 0;
            [PoolTask] public static int C({|#2:Animal animal|}) => 0;
        }
        """,
        new Expected("PP0006", 0, "Parameter 'value' of Tasks.A is typed object", "[PoolUnion"),
        new Expected("PP0006", 1, "is typed IShape"),
        new Expected("PP0006", 2, "is typed Animal"));

    [Fact]
    public Task PP0007_method_and_its_Async_twin_share_a_stub() => AnalyzerVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int {|#0:Run|}(int x) => x;
            [PoolTask] public static Task<int> {|#1:RunAsync|}(int x) => Task.FromResult(x);
            [PoolTask] public static int Other(long x) => 1;
            [PoolTask] public static int OtherAsync(int x) => 1;
        }
        """,
        new Expected("PP0007", 0, "Tasks.Run and Tasks.RunAsync", "the stub TasksPoolExtensions.RunAsync"),
        new Expected("PP0007", 1, "Tasks.RunAsync and Tasks.Run"));

    [Fact]
    public Task PP0007_nested_type_and_its_underscore_look_alike() => AnalyzerVerifier.VerifyAsync("""
        using ProcPool;
        namespace App;
        public static class Outer { public static class Inner { [PoolTask] public static int {|#0:A|}(int x) => x; } }
        public static class Outer_Inner { [PoolTask] public static int {|#1:B|}(int x) => x; }
        """,
        new Expected("PP0007", 0, "Outer.Inner.A and Outer_Inner.B", "Outer_InnerPoolExtensions"),
        new Expected("PP0007", 1, "Outer_Inner.B and Outer.Inner.A"));

    [Fact]
    public Task Same_class_name_in_two_namespaces_is_not_a_clash() => AnalyzerVerifier.VerifyAsync("""
        using ProcPool;
        namespace A { public static class Tasks { [PoolTask] public static int Run(int x) => x; } }
        namespace B { public static class Tasks { [PoolTask] public static int Run(int x) => x; } }
        """);

    [Fact]
    public Task PP0009_disposable_or_event_holding_argument_warns() => AnalyzerVerifier.VerifyAsync("""
        using System;
        using ProcPool;
        public sealed class Buffer : IDisposable { public int[] Data { get; set; } = []; public void Dispose() { } }
        public sealed class Counter { public int Value { get; set; } public event EventHandler? Changed; }
        public static class Tasks
        {
            [PoolTask] public static int A({|#0:Buffer buffer|}) => 0;
            [PoolTask] public static int B({|#1:Counter counter|}) => 0;
        }
        """,
        new Expected("PP0009", 0, "Buffer, which implements IDisposable"),
        new Expected("PP0009", 1, "declares the event 'Changed'"));

    [Fact]
    public Task PP0010_initializer_not_static_or_returning_a_value() => AnalyzerVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using ProcPool;
        public class Setup
        {
            [PoolInitializer] public void {|#0:Instance|}() { }
            [PoolInitializer] public static int {|#1:Returns|}() => 1;
            [PoolInitializer] private static void {|#2:Hidden|}() { }
            [PoolInitializer] public static Task Fine() => Task.CompletedTask;
            public static void Use() => Hidden();
        }
        """,
        new Expected("PP0010", 0, "Setup.Instance", "not static"),
        new Expected("PP0010", 1, "returns a value"),
        new Expected("PP0010", 2, "private"));

    [Fact]
    public Task Initializer_parameters_are_checked_like_a_task_s() => AnalyzerVerifier.VerifyAsync("""
        using System.Threading;
        using ProcPool;
        public static class Setup
        {
            [PoolInitializer] public static void Start(string name, {|#0:Lock gate|}) { }
        }
        """,
        new Expected("PP0002", 0, "Parameter 'gate' of Setup.Start", "in-process lock"));

    [Fact]
    public Task Valid_tasks_get_no_diagnostics() => AnalyzerVerifier.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using ProcPool;
        namespace App;
        public static class Tasks
        {
            [PoolTask] public static double Square(double x) => x * x;
            [PoolTask] public static async Task<string> Echo(string? s, CancellationToken token) { await Task.Yield(); return s ?? ""; }
            [PoolTask] public static long Sum(long[] values, int scale = 2) => values.Length * scale;
            [PoolTask] public static void Nothing() { }
            [PoolInitializer] public static void Setup(string name) { }
        }
        """);

    [Fact]
    public Task Public_and_internal_tasks_in_one_public_type_compile() => AnalyzerVerifier.VerifyAsync("""
        using ProcPool;
        public static class Tasks
        {
            [PoolTask] public static int A(int x) => x;
            [PoolTask] internal static int B(int x) => x;
        }
        """);
}
