using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProcPool.Generator.Parsing;
using ProcPool.Generator.Tests.Infrastructure;
using ProcPool.Runtime;

namespace ProcPool.Generator.Tests;

/// <summary>
/// The generated dispatch table, compiled and run: a lookup by id creates the task asked for, and two tasks of one
/// assembly whose 32-bit ids collide still compile (a switch with two equal labels would not), with the lookup of that
/// id naming both.
/// </summary>
public class DispatchTableTests
{
    private const string AssemblyName = "DispatchSamples";

    [Fact]
    public void Tasks_whose_ids_collide_compile_and_their_lookup_names_both()
    {
        var (first, second) = CollidingMethodNames();
        string source = $$"""
            using ProcPool;

            namespace Samples;

            public static class Tasks
            {
                [PoolTask] public static int {{first}}(int x) => x;
                [PoolTask] public static int {{second}}(int x) => x;
                [PoolTask] public static int Other(int x) => x;
            }
            """;
        var (_, output) = TestCompiler.Run(TestCompiler.Compile(AssemblyName, source));
        TestCompiler.AssertNoProblems(output);

        var find = LoadFind(output);
        uint shared = IdOf(first);
        var error = Assert.Throws<TargetInvocationException>(() => find(shared)).InnerException;
        Assert.IsType<InvalidOperationException>(error);
        Assert.Contains($"0x{shared:x8}", error.Message);
        Assert.Contains($"Samples.Tasks.{first}", error.Message);
        Assert.Contains($"Samples.Tasks.{second}", error.Message);

        var other = Assert.IsAssignableFrom<PoolTaskDescriptor>(find(IdOf("Other")));
        Assert.Equal("Tasks.Other", other.Name);
        Assert.Null(find(IdOf("Other") + 1));
    }

    /// <summary>Two method names whose tasks (<c>int Name(int)</c> in <c>Samples.Tasks</c>) get the same id: a birthday search.</summary>
    private static (string First, string Second) CollidingMethodNames()
    {
        var seen = new Dictionary<uint, string>();
        for (int i = 0; ; i++)
        {
            string name = "M" + i;
            if (seen.TryGetValue(IdOf(name), out var earlier)) return (earlier, name);
            seen.Add(IdOf(name), name);
        }
    }

    private static uint IdOf(string methodName) => TaskId.Compute(AssemblyName, SignatureOf(methodName));

    private static readonly Lazy<string> SignatureTemplate = new(() =>
    {
        // The real signature of a probe method, so the search hashes exactly what the generator will.
        var compilation = TestCompiler.Compile(AssemblyName, "namespace Samples; public static class Tasks { public static int PROBE(int x) => x; }");
        var tree = compilation.SyntaxTrees.Single();
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var symbol = compilation.GetSemanticModel(tree).GetDeclaredSymbol(method)!;
        return TaskParser.Signature(symbol);
    });

    private static string SignatureOf(string methodName) => SignatureTemplate.Value.Replace("PROBE", methodName);

    private static Func<uint, object?> LoadFind(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var assembly = Assembly.Load(image.ToArray());
        var dispatch = assembly.GetType($"ProcPool.Generated.{AssemblyName}.PoolTaskDispatch", throwOnError: true)!;
        var find = dispatch.GetMethod("Find", BindingFlags.NonPublic | BindingFlags.Static)!;
        return id => find.Invoke(null, [id]);
    }
}
