using ProcPool.Analyzer.Tests.Infrastructure;
using ProcPool.CodeFixes;

namespace ProcPool.Analyzer.Tests;

/// <summary>The code fixes, applied through a workspace as the IDE applies them; the result is compiled again with the generator.</summary>
public class CodeFixTests
{
    [Fact]
    public async Task PP0001_make_static_when_the_method_uses_no_instance_state()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new MakeStaticCodeFix(), "PP0001", "Make 'Twice' static", """
            using ProcPool;
            public class Tasks
            {
                [PoolTask] public int Twice(int x) => 2 * x;
            }
            """);

        CodeFixVerifier.AssertSameText("""
            using ProcPool;
            public class Tasks
            {
                [PoolTask] public static int Twice(int x) => 2 * x;
            }
            """, fixedSources[0]);
        await AssertCleanAsync(fixedSources);
    }

    [Fact]
    public async Task PP0001_make_static_is_not_offered_when_the_method_uses_instance_state()
    {
        var (_, actions) = await CodeFixVerifier.ActionsAsync(new MakeStaticCodeFix(), "PP0001", """
            using System.Linq;
            using ProcPool;
            public class Tasks
            {
                private int _factor = 3;
                [PoolTask] public int Scale(int[] xs) => xs.Select(x => x * _factor).Sum();
            }
            """);
        Assert.Empty(actions);
    }

    [Fact]
    public async Task PP0008_add_PoolTask_to_a_plain_static_method_in_another_file()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new AddPoolTaskAttributeCodeFix(), "PP0008", "Add [PoolTask] to 'Helpers.Triple'",
            """
            using ProcPool;
            public static class Caller
            {
                public static PoolResult<int> Run(WorkerPool pool) => pool.ApplyAsync(Helpers.Triple, 2);
            }
            """,
            """
            public static class Helpers
            {
                /// <summary>Three times.</summary>
                public static int Triple(int x) => 3 * x;
            }
            """);

        CodeFixVerifier.AssertSameText("""
            using ProcPool;

            public static class Helpers
            {
                /// <summary>Three times.</summary>
                [PoolTask]
                public static int Triple(int x) => 3 * x;
            }
            """, fixedSources[1]);
        await AssertCleanAsync(fixedSources);
    }

    [Fact]
    public async Task PP0008_no_attribute_fix_for_a_lambda()
    {
        var (_, actions) = await CodeFixVerifier.ActionsAsync(new AddPoolTaskAttributeCodeFix(), "PP0008", """
            using ProcPool;
            public static class Caller
            {
                public static PoolResult<int> Run(WorkerPool pool) => pool.ApplyAsync((int x) => x, 2);
            }
            """);
        Assert.Empty(actions);
    }

    [Fact]
    public async Task PP0002_move_a_lock_into_an_initializer_that_creates_it_in_each_worker()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new MoveToInitializerCodeFix(), "PP0002", "Move 'gate' into a [PoolInitializer] method", """
            using System.Threading;
            using ProcPool;
            namespace App;
            public static class Tasks
            {
                [PoolTask]
                public static int Count(int n, Lock gate)
                {
                    lock (gate) { return n; }
                }
            }
            public static class Caller
            {
                public static void Run(WorkerPool pool, Lock gate)
                {
                    pool.ApplyAsync(Tasks.Count, 1, gate);
                    pool.CountAsync(2, gate);
                    Tasks.Count(3, gate: gate);
                }
            }
            """);

        CodeFixVerifier.AssertSameText("""
            using System.Threading;
            using ProcPool;
            namespace App;
            public static class Tasks
            {
                /// <summary>This worker's Lock: set once per worker by InitializeGate, before its first task.</summary>
                private static Lock s_gate = null!;

                /// <summary>Creates this worker's Lock. Pass it to the pool as its initializer, so every worker runs it before its first task.</summary>
                [PoolInitializer]
                public static void InitializeGate()
                {
                    s_gate = new Lock();
                }

                [PoolTask]
                public static int Count(int n)
                {
                    lock (s_gate) { return n; }
                }
            }
            public static class Caller
            {
                public static void Run(WorkerPool pool, Lock gate)
                {
                    pool.ApplyAsync(Tasks.Count, 1);
                    pool.CountAsync(2);
                    Tasks.Count(3);
                }
            }
            """, fixedSources[0]);
        await AssertCleanAsync(fixedSources);
    }

    [Fact]
    public async Task PP0002_move_a_writer_into_an_initializer_that_says_how_to_open_it()
    {
        var fixedSources = await CodeFixVerifier.ApplyAsync(new MoveToInitializerCodeFix(), "PP0002", "Move 'log' into a [PoolInitializer] method", """
            using System.IO;
            using ProcPool;
            internal static class Tasks
            {
                [PoolTask] internal static void Write(StreamWriter log, string line) => log.WriteLine(line);
            }
            """);

        CodeFixVerifier.AssertSameText("""
            using System.IO;
            using ProcPool;
            internal static class Tasks
            {
                /// <summary>This worker's StreamWriter: set once per worker by InitializeLog, before its first task.</summary>
                private static StreamWriter s_log = null!;

                /// <summary>Creates this worker's StreamWriter. Pass it to the pool as its initializer, so every worker runs it before its first task.</summary>
                [PoolInitializer]
                internal static void InitializeLog()
                {
                    throw new System.NotImplementedException("Create this worker's StreamWriter here: return the text from the task, or pass a path to write to in the worker.");
                }

                [PoolTask] internal static void Write(string line) => s_log.WriteLine(line);
            }
            """, fixedSources[0]);
        await AssertCleanAsync(fixedSources);
    }

    [Fact]
    public async Task PP0002_no_initializer_fix_for_code_or_a_pending_task()
    {
        var (_, actions) = await CodeFixVerifier.ActionsAsync(new MoveToInitializerCodeFix(), "PP0002", """
            using System;
            using ProcPool;
            public static class Tasks
            {
                [PoolTask] public static int Run(Func<int> f) => f();
            }
            """);
        Assert.Empty(actions);
    }

    /// <summary>The fixed code compiles with the generator, with no error of any kind.</summary>
    private static async Task AssertCleanAsync(string[] sources)
    {
        var run = await AnalyzerVerifier.RunAsync(sources);
        var errors = run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(AnalyzerVerifier.Describe).ToList();
        Assert.True(errors.Count == 0, "After the fix:\n" + string.Join("\n", errors));
    }
}
