using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProcPool.Generator.Model;
using ProcPool.Generator.Parsing;
using ProcPool.Generator.Tests.Infrastructure;

namespace ProcPool.Generator.Tests;

/// <summary>
/// The TypeClassifier's answers, which the analyzer turns into diagnostics: what cannot cross, where inside a type the
/// problem is, and which types are open. Each case compiles real code and classifies the real symbol.
/// </summary>
public class ClassificationTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Text;
        using ProcPool;

        namespace App;

        public sealed class Job { public string Name { get; set; } = ""; public StreamWriter Log { get; set; } = null!; }
        public sealed class Batch { public List<Job> Jobs { get; set; } = new(); }
        public sealed record Holder(Dictionary<string, Batch?> ByName);
        public struct Handle { public int Id; public IntPtr Pointer; }
        public sealed class Envelope { public int Id { get; set; } public object? Payload { get; set; } }
        public interface IShape { }
        public abstract class Animal { }
        public sealed class Dog : Animal { }
        public sealed class Cat { }
        [PoolUnion(typeof(Pup), typeof(Cat))] public abstract class BadUnion { }
        public sealed class Pup : BadUnion { }
        [PoolUnion(typeof(Dog))] public sealed class ConcreteUnion { }
        public sealed class NoConstructor { public NoConstructor(int unrelated) { } public int Value { get; set; } }
        public sealed class Items : List<int> { }
        public sealed class Failure : Exception { }
        public sealed record WithBuilder(StringBuilder Text);
        public sealed record Computed(int A, int B) { public int Sum => A + B; public Stream? Open => null; }
        public sealed class Tree { public Tree? Left { get; set; } public Tree? Right { get; set; } public Action? Visit { get; set; } }
        """;

    private static readonly CSharpCompilation Compilation = TestCompiler.Compile("App", Source);

    private static Classification Classify(string metadataName) =>
        TypeClassifier.Classify(Compilation.GetTypeByMetadataName(metadataName)!, Compilation.Assembly);

    private static Classification ClassifyExpression(string typeSyntax)
    {
        var compilation = Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            $"using System; using System.Collections.Generic; namespace App; public static class Probe {{ public static {typeSyntax} Value = default!; }}",
            TestCompiler.ParseOptions));
        var field = (IFieldSymbol)compilation.GetTypeByMetadataName("App.Probe")!.GetMembers("Value").Single();
        return TypeClassifier.Classify(field.Type, compilation.Assembly);
    }

    [Fact]
    public void A_member_that_never_crosses_is_reported_with_its_path_its_type_and_the_catalogue_entry()
    {
        var job = Classify("App.Job");

        Assert.Null(job.Codec);
        Assert.Equal("Job.Log", job.MemberPath);
        Assert.Equal("StreamWriter", job.MemberTypeName);
        Assert.Equal("System.IO.TextWriter", job.Never?.MatchedType);
        Assert.StartsWith("Job.Log (StreamWriter) is an open writer", job.Reason);
    }

    [Fact]
    public void The_path_goes_through_collections_and_nested_types()
    {
        Assert.Equal("Batch.Jobs[].Log", Classify("App.Batch").MemberPath);
        var holder = Classify("App.Holder");
        Assert.Equal("Holder.ByName[value].Jobs[].Log", holder.MemberPath);
        Assert.NotNull(holder.Never);
        Assert.Equal("Tree.Visit", Classify("App.Tree").MemberPath);
        Assert.Equal(UnpicklableCategory.Code, Classify("App.Tree").Never?.Category);
    }

    [Fact]
    public void A_blitted_struct_is_checked_field_by_field()
    {
        var handle = Classify("App.Handle");

        Assert.Null(handle.Codec);
        Assert.Equal("Handle.Pointer", handle.MemberPath);
        Assert.Equal(UnpicklableCategory.Pointer, handle.Never?.Category);
    }

    [Fact]
    public void The_type_itself_in_the_catalogue_has_no_member_path()
    {
        var stream = ClassifyExpression("System.IO.MemoryStream");

        Assert.Null(stream.Codec);
        Assert.Null(stream.MemberPath);
        Assert.Equal("System.IO.Stream", stream.Never?.MatchedType);
    }

    [Theory]
    [InlineData("object")]
    [InlineData("dynamic")]
    [InlineData("App.IShape")]
    [InlineData("App.Animal")]
    [InlineData("IComparable")]
    public void Open_types_get_the_dynamic_codec_and_are_flagged(string type)
    {
        var open = ClassifyExpression(type);

        Assert.True(open.IsOpenType);
        Assert.Null(open.MemberPath);
        var codec = Assert.IsType<CodecModel.Composite>(open.Codec);
        Assert.StartsWith("global::ProcPool.Serialization.Codecs.DynamicCodec<", codec.CodecType);
    }

    [Fact]
    public void An_open_member_flags_the_type_that_holds_it_with_its_path()
    {
        var envelope = Classify("App.Envelope");

        Assert.NotNull(envelope.Codec);
        Assert.True(envelope.IsOpenType);
        Assert.Equal("Envelope.Payload", envelope.MemberPath);
        Assert.False(ClassifyExpression("List<int>").IsOpenType);
        Assert.True(ClassifyExpression("List<object>").IsOpenType);
    }

    [Theory]
    [InlineData("App.BadUnion", "Cat, which is not a BadUnion")]
    [InlineData("App.ConcreteUnion", "belongs on an abstract class or an interface")]
    [InlineData("App.NoConstructor", "no constructor the codec can call")]
    [InlineData("App.Items", "collection type")]
    [InlineData("App.Failure", "derives from Exception")]
    [InlineData("App.WithBuilder", "StringBuilder is a framework type")]
    public void Types_the_codec_cannot_rebuild_say_why(string type, string reason)
    {
        var classification = Classify(type);

        Assert.Null(classification.Codec);
        Assert.Contains(reason, classification.Reason);
    }

    [Fact]
    public void Memory_of_references_and_type_parameters_cannot_cross()
    {
        Assert.Contains("unmanaged element type", ClassifyExpression("Memory<string>").Reason);
        Assert.NotNull(ClassifyExpression("ReadOnlyMemory<double>").Codec);
    }

    [Fact]
    public void Computed_properties_do_not_travel_and_are_not_checked()
    {
        var computed = Classify("App.Computed");

        var model = Assert.IsType<ObjectCodecModel>(Assert.Single(computed.CodecTypes));
        Assert.Equal(["A", "B"], model.Members.Select(m => m.Name));
    }

    [Fact]
    public void Primitives_and_framework_values_use_the_writer_methods()
    {
        foreach (var (type, suffix) in new[]
                 {
                     ("bool", "Boolean"), ("char", "Char"), ("sbyte", "SByte"), ("byte", "Byte"), ("short", "VarInt16"), ("ushort", "VarUInt16"),
                     ("int", "VarInt32"), ("uint", "VarUInt32"), ("long", "VarInt64"), ("ulong", "VarUInt64"), ("float", "Single"), ("double", "Double"),
                     ("decimal", "Decimal"), ("Half", "Half"), ("Int128", "Int128"), ("UInt128", "UInt128"), ("System.Numerics.BigInteger", "BigInteger"),
                     ("DateTime", "DateTime"), ("DateTimeOffset", "DateTimeOffset"), ("TimeSpan", "TimeSpan"), ("DateOnly", "DateOnly"),
                     ("TimeOnly", "TimeOnly"), ("Guid", "Guid"), ("Uri", "Uri"), ("Version", "Version"),
                 })
        {
            var primitive = Assert.IsType<CodecModel.Primitive>(ClassifyExpression(type).Codec);
            Assert.Equal(suffix, primitive.Suffix);
        }
    }

    [Fact]
    public void Integers_alone_are_varints_but_arrays_of_them_stay_one_block()
    {
        Assert.Equal("global::ProcPool.Serialization.Codecs.VarInt32Codec", ClassifyExpression("int").Codec!.CodecType);
        Assert.IsType<CodecModel.UnmanagedArray>(ClassifyExpression("int[]").Codec);
        Assert.Equal("global::ProcPool.Serialization.Codecs.UnmanagedListCodec<int>", ClassifyExpression("List<int>").Codec!.CodecType);
        Assert.Equal("global::ProcPool.Serialization.Codecs.DictionaryCodec<int, long, global::ProcPool.Serialization.Codecs.VarInt32Codec, global::ProcPool.Serialization.Codecs.VarInt64Codec>",
            ClassifyExpression("Dictionary<int, long>").Codec!.CodecType);
    }

    [Fact]
    public void Enums_travel_as_their_underlying_value_a_varint_unless_they_are_a_byte()
    {
        var compilation = Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace App; public enum Wide : long { A = -1 } public enum Small : byte { A } public enum Plain { A }", TestCompiler.ParseOptions));

        var wide = Assert.IsType<CodecModel.EnumValue>(TypeClassifier.Classify(compilation.GetTypeByMetadataName("App.Wide")!).Codec);
        var plain = Assert.IsType<CodecModel.EnumValue>(TypeClassifier.Classify(compilation.GetTypeByMetadataName("App.Plain")!).Codec);
        var small = TypeClassifier.Classify(compilation.GetTypeByMetadataName("App.Small")!).Codec;

        Assert.Equal("VarInt64", wide.Underlying.Suffix);
        Assert.Equal("global::ProcPool.Serialization.Codecs.EnumCodec<global::App.Wide, long, global::ProcPool.Serialization.Codecs.VarInt64Codec>", wide.CodecType);
        Assert.Equal("VarInt32", plain.Underlying.Suffix);
        Assert.IsType<CodecModel.Unmanaged>(small);
    }

    [Fact]
    public void Internal_types_of_another_assembly_are_unreachable_but_public_ones_work()
    {
        var library = TestCompiler.Compile("Library", """
            namespace Library;
            public sealed record PublicPoint(int X, int Y) { internal int Hidden { get; init; } }
            internal sealed record InternalPoint(int X);
            public sealed class Holder { public InternalPointBox? Box { get; set; } }
            public sealed class InternalPointBox { internal InternalPointBox() { } }
            """);
        var app = TestCompiler.Compile("App2", "public static class Use { }").AddReferences(library.ToMetadataReference());
        var libraryAssembly = (IAssemblySymbol)app.GetAssemblyOrModuleSymbol(library.ToMetadataReference())!;

        var publicPoint = TypeClassifier.Classify(libraryAssembly.GetTypeByMetadataName("Library.PublicPoint")!, app.Assembly);
        var internalPoint = TypeClassifier.Classify(libraryAssembly.GetTypeByMetadataName("Library.InternalPoint")!, app.Assembly);
        var holder = TypeClassifier.Classify(libraryAssembly.GetTypeByMetadataName("Library.Holder")!, app.Assembly);

        var model = Assert.IsType<ObjectCodecModel>(Assert.Single(publicPoint.CodecTypes));
        Assert.Equal(["X", "Y"], model.Members.Select(m => m.Name));
        Assert.Contains("internal", internalPoint.Reason);
        Assert.Equal("Holder.Box", holder.MemberPath);
        Assert.Contains("no constructor generated code can call", holder.Reason);
    }
}
