namespace ProcPool.Serialization;

/// <summary>C#-like names of runtime types, for error messages only (nothing is ever looked up by name).</summary>
internal static class TypeNames
{
    public static string Display(Type type)
    {
        if (type.IsArray)
            return Display(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (!type.IsGenericType) return type.Name;
        string name = type.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(Display)) + ">";
    }
}
