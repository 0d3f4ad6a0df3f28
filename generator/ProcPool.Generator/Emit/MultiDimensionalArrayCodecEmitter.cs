using System.Linq;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Emit;

/// <summary>
/// The codec of a multi-dimensional array: each length as int32 (the first is -1 for null), then the elements
/// row-major, as one block when they are unmanaged. Lower bounds do not travel: the array arrives zero-based.
/// </summary>
internal static class MultiDimensionalArrayCodecEmitter
{
    private const string Helpers = "global::ProcPool.Serialization.Codecs.MultiDimensionalArrays";

    public static void Render(SourceWriter w, MultiDimensionalArrayCodecModel codec)
    {
        var element = codec.Element;
        string writeElements = codec.ElementIsUnmanaged
            ? $"{Helpers}.WriteUnmanagedElements<{element.TypeName}>(writer, value);"
            : $"{Helpers}.WriteElements<{element.TypeName}, {element.CodecType}>(writer, value);";
        string readElements = codec.ElementIsUnmanaged
            ? $"{Helpers}.ReadUnmanagedElements<{element.TypeName}>(ref reader, result);"
            : $"{Helpers}.ReadElements<{element.TypeName}, {element.CodecType}>(ref reader, result);";
        var lengths = Enumerable.Range(0, codec.Rank).Select(d => $"length{d}").ToList();

        w.Line("public static int MinimumSize => 4;");
        w.Line();
        w.Open($"public static void Write({GeneratedNames.Writer} writer, {codec.TypeName} value)");
        w.Open("if (value is null)");
        w.Line("writer.WriteLength(-1);");
        w.Line("return;");
        w.Close();
        for (int d = 0; d < codec.Rank; d++) w.Line($"writer.WriteLength(value.GetLength({d}));");
        w.Line(writeElements);
        w.Close();
        w.Line();
        w.Open($"public static {codec.TypeName} Read(ref {GeneratedNames.Reader} reader)");
        w.Line("int length0 = reader.ReadLength(0);");
        w.Line("if (length0 < 0) return null;");
        for (int d = 1; d < codec.Rank; d++) w.Line($"int length{d} = {Helpers}.ReadDimension(ref reader);");
        // A block of unmanaged elements takes their full size, even where one element alone would be a shorter varint.
        string elementSize = codec.ElementIsUnmanaged
            ? $"global::System.Runtime.CompilerServices.Unsafe.SizeOf<{element.TypeName}>()"
            : $"{element.CodecType}.MinimumSize";
        w.Line($"{Helpers}.EnsureFits(ref reader, {elementSize}, {string.Join(", ", lengths)});");
        w.Line($"var result = {NewArray(element.TypeName, lengths)};");
        w.Line(readElements);
        w.Line("return result;");
        w.Close();
    }

    /// <summary>
    /// <c>new T[length0, length1]</c>. When the element is itself an array (<c>int[]</c>), C# puts the new array's
    /// lengths before the element's brackets: <c>new int[length0, length1][]</c>.
    /// </summary>
    private static string NewArray(string elementTypeName, System.Collections.Generic.IEnumerable<string> lengths)
    {
        int depth = 0, split = elementTypeName.Length;
        for (int i = 0; i < elementTypeName.Length; i++)
        {
            char c = elementTypeName[i];
            if (c is '<' or '(') depth++;
            else if (c is '>' or ')') depth--;
            else if (c == '[' && depth == 0)
            {
                split = i;
                break;
            }
        }
        return $"new {elementTypeName.Substring(0, split)}[{string.Join(", ", lengths)}]{elementTypeName.Substring(split)}";
    }
}
