using System.Text;

namespace ProcPool.Generator;

/// <summary>FNV-1a (32 bits) of a string's UTF-8 bytes: the same on every machine and in every build, unlike <c>string.GetHashCode</c>.</summary>
internal static class StableHash
{
    public static uint Fnv1a32(string text)
    {
        unchecked
        {
            uint hash = 2166136261;
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                hash ^= b;
                hash *= 16777619;
            }
            return hash;
        }
    }
}
