using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ProcPool.Generator.Parsing;

/// <summary>Writes a parameter's default value as C# that compiles anywhere (from its constant, not its source text).</summary>
internal static class DefaultValueFormatter
{
    public static string? Format(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue) return null;
        object? value = parameter.ExplicitDefaultValue;
        var type = parameter.Type;
        if (value is null) return "default";
        if (type.TypeKind == TypeKind.Enum) return $"({KnownTypes.NameOf(type)}){Literal(value)}";
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && nullable.TypeArguments[0].TypeKind == TypeKind.Enum)
            return $"({KnownTypes.NameOf(nullable.TypeArguments[0])}){Literal(value)}";
        return Literal(value);
    }

    private static string Literal(object value) => value switch
    {
        bool b => b ? "true" : "false",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        float f when float.IsNaN(f) => "float.NaN",
        float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
        float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d when double.IsNaN(d) => "double.NaN",
        double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
        double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
        int i => "(" + i.ToString(CultureInfo.InvariantCulture) + ")",
        long l => "(" + l.ToString(CultureInfo.InvariantCulture) + "L)",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "u",
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "ul",
        short s => "(short)(" + s.ToString(CultureInfo.InvariantCulture) + ")",
        ushort s => "(ushort)" + s.ToString(CultureInfo.InvariantCulture),
        byte b => "(byte)" + b.ToString(CultureInfo.InvariantCulture),
        sbyte s => "(sbyte)(" + s.ToString(CultureInfo.InvariantCulture) + ")",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "default",
    };
}
