using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ProcPool.Bench.Measurement;

/// <summary>Prints the figures and the goals as Markdown tables (pasteable into bench/README.md) and writes the JSON file.</summary>
public static class Report
{
    public static string Tables(IReadOnlyDictionary<string, Figure> figures, IReadOnlyList<GoalResult> goals)
    {
        var text = new StringBuilder();
        text.AppendLine("| figure | unit | min | median | max | n |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var f in figures.Values)
            text.AppendLine($"| {f.Label} | {f.Unit} | {Format(f.Samples.Min)} | {Format(f.Samples.Median)} | {Format(f.Samples.Max)} | {f.Samples.Count} |");
        text.AppendLine();
        text.AppendLine("| goal | compared (medians, same run) | target | measured | |");
        text.AppendLine("| --- | --- | ---: | ---: | --- |");
        foreach (var g in goals)
        {
            string value = g.Value is { } v ? Format(v) + g.Unit : "n/a";
            string verdict = g.Met switch { true => "met", false => "**missed**", null => "no peer" };
            text.AppendLine($"| {g.Id} | {g.Text} | {g.Target} | {value} | {verdict} |");
        }
        return text.ToString();
    }

    public static void WriteJson(string path, IReadOnlyDictionary<string, Figure> figures, IReadOnlyList<GoalResult> goals, IReadOnlyDictionary<string, string> machine)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        foreach (var f in figures.Values)
        {
            json.WriteStartObject(f.Key);
            json.WriteString("label", f.Label);
            json.WriteString("unit", f.Unit);
            WriteNumber(json, "min", f.Samples.Min);
            WriteNumber(json, "median", f.Samples.Median);
            WriteNumber(json, "max", f.Samples.Max);
            json.WriteStartArray("samples");
            foreach (var v in f.Samples.Values) WriteNumber(json, null, v);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        foreach (var g in goals)
        {
            json.WriteStartObject("goal." + g.Id);
            json.WriteString("text", g.Text);
            json.WriteString("target", g.Target);
            if (g.Value is { } v) WriteNumber(json, "value", v); else json.WriteNull("value");
            if (g.Met is { } met) json.WriteBoolean("met", met); else json.WriteNull("met");
            json.WriteEndObject();
        }
        json.WriteStartObject("machine");
        foreach (var (key, value) in machine) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string? name, double value)
    {
        if (name is not null) json.WritePropertyName(name);
        if (double.IsFinite(value)) json.WriteNumberValue(Math.Round(value, 4));
        else json.WriteNullValue();
    }

    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "n/a";
        double abs = Math.Abs(value);
        string format = abs >= 1000 ? "#,0" : abs >= 100 ? "0.0" : abs >= 10 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
