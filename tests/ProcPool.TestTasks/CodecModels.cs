using System.Numerics;
using ProcPool;

namespace ProcPool.TestTasks;

// Types declared in a library and transported by tasks of another assembly (the test project): their codecs are
// generated there, through their public members.

public enum Priority : byte { Low, High = 200 }

[Flags]
public enum Permissions : long { None = 0, Read = 1, Write = 1L << 40 }

public sealed record Address(string Street, string City, string? Zip);

public sealed record Customer(int Id, string Name, Address? Address, List<string>? Tags, Priority Priority)
{
    public DateTime Since { get; init; }
    public decimal? Credit { get; init; }
}

/// <summary>A class with a constructor, a required init member, a settable member and a computed one.</summary>
public class Account
{
    public Account(Guid id, string owner)
    {
        Id = id;
        Owner = owner;
    }

    public Guid Id { get; }
    public string Owner { get; }
    public required Dictionary<string, decimal> Balances { get; init; }
    public List<Customer>? Holders { get; set; }
    public decimal Total => Balances.Values.Sum();
}

/// <summary>Every scalar the codec knows, as members of a record (each written by its own writer method).</summary>
public sealed record Scalars(
    bool Bool, char Char, sbyte SByte, byte Byte, short Int16, ushort UInt16, int Int32, uint UInt32, long Int64, ulong UInt64,
    float Single, double Double, decimal Decimal, Half Half, Int128 Int128, UInt128 UInt128, BigInteger Big,
    DateTime DateTime, DateTimeOffset DateTimeOffset, TimeSpan TimeSpan, DateOnly DateOnly, TimeOnly TimeOnly, Guid Guid,
    Uri? Uri, Version? Version, Priority Priority, Permissions Permissions, int? MaybeInt, DateTime? MaybeDate);

/// <summary>Unmanaged: copied as its bytes, and arrays of it as one block.</summary>
public struct Point3
{
    public double X;
    public double Y;
    public double Z;
}

/// <summary>A struct with references: written member by member.</summary>
public readonly record struct Sample(string Label, Point3 Position, int[]? Counts);

public sealed class Pair<T>
{
    public T? First { get; set; }
    public T? Second { get; set; }
}

[PoolUnion(typeof(Circle), typeof(Rectangle), typeof(Group))]
public abstract record Shape;

public sealed record Circle(double Radius) : Shape;

public sealed record Rectangle(double Width, double Height) : Shape;

public sealed record Group(List<Shape> Members) : Shape;

public sealed class TreeNode
{
    public int Value { get; set; }
    public TreeNode? Next { get; set; }
    public List<TreeNode> Children { get; set; } = [];
}

/// <summary>Concrete and not sealed: a subclass instance is refused rather than cut down to an Animal.</summary>
public class Animal
{
    public string Name { get; set; } = "";
}

public sealed class Dog : Animal
{
    public bool Good { get; set; }
}

/// <summary>Validates in its constructor: hostile data that breaks the rule must arrive as a serialization error.</summary>
public sealed record Percentage
{
    public Percentage(int value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100);
        Value = value;
    }

    public int Value { get; }
}

/// <summary>A plain class with a primary constructor: its parameters are read back through the properties that expose them.</summary>
public sealed class Ticket(string code, int seats)
{
    public string Code { get; } = code;
    public int Seats => seats;
    public string? Note { get; set; }
}

public static class Catalog
{
    /// <summary>A nested type.</summary>
    public sealed record Item(string Name, Catalog.Item? Parent);
}
