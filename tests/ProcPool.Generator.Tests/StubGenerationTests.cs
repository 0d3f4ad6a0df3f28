using Microsoft.CodeAnalysis;
using ProcPool.Generator.Emit;
using ProcPool.Generator.Tests.Infrastructure;

namespace ProcPool.Generator.Tests;

/// <summary>The generated stub, descriptor and dispatch table, checked against reviewed snapshots and compiled.</summary>
public class StubGenerationTests
{
    private const string PiSource = """
        using ProcPool;

        namespace Samples;

        public static class PiTasks
        {
            [PoolTask]
            public static double PartialPi(long m, long n)
            {
                double pi = 0;
                for (long k = m; k <= n; k++) pi += (k % 2 == 1 ? 1.0 : -1.0) / (2 * k - 1);
                return pi * 4;
            }
        }
        """;

    private const string ShapesSource = """
        using System.Threading;
        using System.Threading.Tasks;
        using ProcPool;

        namespace Samples.Shapes;

        internal static class Outer
        {
            public static class Tasks
            {
                [PoolTask] public static void Log(string message) { }
                [PoolTask] public static Task FlushAsync() => Task.CompletedTask;
                [PoolTask] public static async Task<int> CountAsync(string? text, CancellationToken token) { await Task.Yield(); return text?.Length ?? 0; }
                [PoolTask] public static ValueTask<byte[]> EchoAsync(byte[] data) => new(data);
                [PoolTask] public static ValueTask PingAsync() => default;
                [PoolTask] public static double Scale(double[] values, double factor = 1.5, bool clamp = true, string label = "x\"y") => values.Length * factor;
                [PoolTask] public static int Square(int x) => x * x;
                [PoolTask] public static long Square(long x) => x * x;
                [PoolTask] internal static string Concat(string @class, char @event, int pool) => @class + @event + pool;
            }
        }
        """;

    [Fact]
    public void Pi_task_gets_a_descriptor_a_typed_stub_and_a_dispatch_entry()
    {
        var (result, output) = TestCompiler.Run(TestCompiler.Compile("Samples", PiSource));

        var generated = result.Results.Single().GeneratedSources;
        Assert.Equal(["PoolTaskDispatch.g.cs", "Samples.PiTasks.PartialPi.PoolTask.g.cs"], generated.Select(s => s.HintName).Order());
        Snapshot.Verify(generated.Single(s => s.HintName.EndsWith(".PoolTask.g.cs")).SourceText.ToString(), "PartialPi");
        Snapshot.Verify(generated.Single(s => s.HintName == DispatchEmitter.HintName).SourceText.ToString(), "Dispatch");
        Assert.Empty(TestCompiler.Problems(output));
    }

    [Fact]
    public void Every_return_shape_parameter_kind_and_accessibility_compiles()
    {
        var (result, output) = TestCompiler.Run(TestCompiler.Compile("Samples.Shapes", ShapesSource));

        var generated = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(10, generated.Count);
        // Overloads get distinct files and descriptors.
        Assert.Contains("Samples.Shapes.Outer.Tasks.Square_Int32.PoolTask.g.cs", generated.Keys);
        Assert.Contains("Samples.Shapes.Outer.Tasks.Square_Int64.PoolTask.g.cs", generated.Keys);
        foreach (var (hint, text) in generated.OrderBy(g => g.Key))
            Snapshot.Verify(text, hint.Replace(".PoolTask.g.cs", "").Replace(".g.cs", "").Replace("Samples.Shapes.Outer.Tasks.", ""));
        Assert.Empty(TestCompiler.Problems(output));
    }

    [Fact]
    public void Stub_has_exactly_the_method_parameter_types_plus_an_optional_token()
    {
        var (_, output) = TestCompiler.Run(TestCompiler.Compile("Samples", PiSource));

        var extensions = output.GetTypeByMetadataName("Samples.PiTasksPoolExtensions");
        Assert.NotNull(extensions);
        var stub = Assert.Single(extensions!.GetMembers("PartialPiAsync").OfType<IMethodSymbol>());
        Assert.True(stub.IsExtensionMethod);
        Assert.Equal(["WorkerPool", "Int64", "Int64", "CancellationToken"], stub.Parameters.Select(p => p.Type.Name));
        Assert.True(stub.Parameters[^1].IsOptional);
        Assert.Equal("ProcPool.PoolResult<double>", stub.ReturnType.ToDisplayString());
    }

    [Fact]
    public void Task_that_takes_a_token_keeps_its_own_parameters_in_the_stub()
    {
        var (_, output) = TestCompiler.Run(TestCompiler.Compile("Samples.Shapes", ShapesSource));

        var extensions = output.GetTypeByMetadataName("Samples.Shapes.Outer_TasksPoolExtensions")!;
        var stub = Assert.Single(extensions.GetMembers("CountAsync").OfType<IMethodSymbol>());
        Assert.Equal(["pool", "text", "token"], stub.Parameters.Select(p => p.Name));
        Assert.Equal("ProcPool.PoolResult<int>", stub.ReturnType.ToDisplayString());
        Assert.Equal(Accessibility.Internal, extensions.DeclaredAccessibility);
    }

    [Fact]
    public void Initializer_gets_a_descriptor_and_a_dispatch_entry_but_no_stub()
    {
        const string source = """
            using System.Threading.Tasks;
            using ProcPool;
            namespace Samples;
            public class Setup
            {
                [PoolInitializer] public static void Connect(string name, int retries) { }
                [PoolInitializer] public static Task WarmUpAsync() => Task.CompletedTask;
                [PoolInitializer] public static int ReturnsAValue() => 1;
                [PoolInitializer] public void NotStatic() { }
            }
            """;
        var (result, output) = TestCompiler.Run(TestCompiler.Compile("Samples", source));

        var generated = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(["PoolTaskDispatch.g.cs", "Samples.Setup.Connect.PoolInitializer.g.cs", "Samples.Setup.WarmUpAsync.PoolInitializer.g.cs"], generated.Keys.Order());
        Snapshot.Verify(generated["Samples.Setup.Connect.PoolInitializer.g.cs"], "Connect");
        Assert.Contains("Setup_Connect_PoolInitializer.Instance, new global::System.Action<string, int>(global::Samples.Setup.Connect)", generated["PoolTaskDispatch.g.cs"]);
        Assert.DoesNotContain("PoolExtensions", string.Concat(generated.Values));
        Assert.Empty(TestCompiler.Problems(output));
    }

    [Fact]
    public void Task_ids_are_stable_and_distinct_per_assembly_and_signature()
    {
        uint a = TaskId.Compute("Samples", "Samples.PiTasks.PartialPi(long,long):double");
        Assert.Equal(a, TaskId.Compute("Samples", "Samples.PiTasks.PartialPi(long,long):double"));
        Assert.NotEqual(a, TaskId.Compute("Other", "Samples.PiTasks.PartialPi(long,long):double"));
        Assert.NotEqual(a, TaskId.Compute("Samples", "Samples.PiTasks.PartialPi(long,int):double"));
    }

    [Theory]
    [InlineData("public double Instance(long m) => m;", "not static")]
    [InlineData("public static T Generic<T>(T value) => value;", "generic")]
    [InlineData("private static int Hidden(int x) => x;", "private")]
    [InlineData("public static int ByRef(ref int x) => x;", "ref")]
    [InlineData("public static System.IO.Stream Handle(int x) => null!;", "Stream")]
    public void Invalid_task_generates_nothing_and_breaks_nothing(string member, string why)
    {
        var source = $$"""
            using ProcPool;
            public static class Bad
            {
                [PoolTask] {{member}}
            }
            """;
        var (result, output) = TestCompiler.Run(TestCompiler.Compile(source));

        Assert.True(result.Results.Single().GeneratedSources.IsEmpty, $"Generated code for a task that is invalid ({why}).");
        Assert.Empty(TestCompiler.Problems(output));
    }
}
