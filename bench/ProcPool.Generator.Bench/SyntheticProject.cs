using System.Globalization;
using System.Text;

namespace ProcPool.Generator.Bench;

/// <summary>
/// A generated project the size the generator-cost goal names: 500 [PoolTask] methods over 200 user types, in
/// 25 task classes (the first also has an initializer) and 10 type files, plus one unrelated file to edit. Half the tasks take user types and half take
/// primitives (until the codec covers user types, the generator skips the first half; the figures must be measured
/// again once it does). Shared by the benchmark and the incremental test.
/// </summary>
public static class SyntheticProject
{
    public const int UserTypeCount = 200;
    public const int TaskCount = 500;
    public const int TaskClassCount = 25;
    public const string UnrelatedPath = "Unrelated.cs";

    /// <summary>Every file of the project: path and text.</summary>
    public static IReadOnlyList<(string Path, string Text)> Sources()
    {
        var files = new List<(string, string)>();
        for (int file = 0; file < 10; file++)
        {
            var text = new StringBuilder("namespace Synthetic.Model;\n\n");
            for (int i = file * (UserTypeCount / 10); i < (file + 1) * (UserTypeCount / 10); i++)
                text.Append(CultureInfo.InvariantCulture, $"public sealed record Order{i}(int Id, double Amount, string Name, long[] Lines);\n");
            files.Add(($"Model{file}.cs", text.ToString()));
        }

        int perClass = TaskCount / TaskClassCount;
        for (int c = 0; c < TaskClassCount; c++)
        {
            var text = new StringBuilder("using ProcPool;\nusing Synthetic.Model;\n\nnamespace Synthetic.Tasks;\n\n");
            text.Append(CultureInfo.InvariantCulture, $"public static class Tasks{c}\n{{\n");
            if (c == 0) text.Append("    [PoolInitializer] public static void Setup(string name) { }\n");
            for (int t = c * perClass; t < (c + 1) * perClass; t++)
            {
                text.Append(t % 2 == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"    [PoolTask] public static double Price{t}(Order{t % UserTypeCount} order, int quantity) => order.Amount * quantity;\n")
                    : string.Create(CultureInfo.InvariantCulture, $"    [PoolTask] public static long Sum{t}(long[] values, int offset, string label) => values.Length + offset + label.Length;\n"));
            }
            text.Append("}\n");
            files.Add(($"Tasks{c}.cs", text.ToString()));
        }

        files.Add((UnrelatedPath, Unrelated(0)));
        return files;
    }

    /// <summary>The unrelated file after <paramref name="edit"/> one-line edits: a comment and a constant change, nothing a task uses.</summary>
    public static string Unrelated(int edit) => string.Create(CultureInfo.InvariantCulture, $$"""
        namespace Synthetic.Other;

        public static class Settings
        {
            public const int Revision = {{edit}};
            public static string Describe() => "revision " + Revision;
        }
        """);
}
