using System.Reflection;
using ProcPool.Runtime;
using ProcPool.Serialization;

namespace ProcPool.Tests;

/// <summary>
/// The table generated dispatch tables register with: lookups by id ask each assembly's switch (creating only the
/// task asked for), lookups by method build their map from the entries on first use, and an id two assemblies share
/// is reported rather than answered by whichever registered first.
/// </summary>
public class PoolTaskTableTests
{
    private const uint SharedId = 0xDEADBEEF;
    private static readonly Assembly First = typeof(PoolTaskTableTests).Assembly;
    private static readonly Assembly Second = typeof(Assert).Assembly;

    [Fact]
    public void A_lookup_by_id_asks_each_registration_and_creates_nothing_else()
    {
        var table = new PoolTaskTable();
        var asked = new List<uint>();
        int entriesBuilt = 0;
        table.Register(First, id => { asked.Add(id); return id == 1 ? FakeTaskA.Instance : null; }, () => { entriesBuilt++; return []; });

        Assert.Same(FakeTaskA.Instance, table.FindById(1));
        Assert.Null(table.FindById(2));
        Assert.Equal([1u, 2u], asked);
        Assert.Equal(0, entriesBuilt);
    }

    [Fact]
    public void An_id_that_two_assemblies_use_for_different_tasks_is_an_error_naming_both()
    {
        var table = new PoolTaskTable();
        table.Register(First, id => id == SharedId ? FakeTaskA.Instance : null, () => []);
        table.Register(Second, id => id == SharedId ? FakeTaskB.Instance : null, () => []);

        var error = Assert.Throws<InvalidOperationException>(() => table.FindById(SharedId));
        Assert.Contains("0xdeadbeef", error.Message);
        Assert.Contains(FakeTaskA.Instance.Name, error.Message);
        Assert.Contains(FakeTaskB.Instance.Name, error.Message);
        Assert.Null(table.FindById(SharedId + 1));
    }

    [Fact]
    public void The_same_task_found_twice_is_not_a_collision_and_an_assembly_registers_once()
    {
        var table = new PoolTaskTable();
        table.Register(First, id => id == SharedId ? FakeTaskA.Instance : null, () => []);
        table.Register(Second, id => id == SharedId ? FakeTaskA.Instance : null, () => []);
        table.Register(First, _ => throw new InvalidOperationException("a second registration of an assembly must be ignored"), () => []);

        Assert.Same(FakeTaskA.Instance, table.FindById(SharedId));
        Assert.Equal([First, Second], table.Assemblies);
    }

    [Fact]
    public void A_lookup_by_method_builds_the_map_once_from_the_entries()
    {
        var table = new PoolTaskTable();
        int entriesBuilt = 0;
        table.Register(First, _ => null, () =>
        {
            entriesBuilt++;
            return [new PoolTaskEntry(FakeTaskA.Instance, new Func<int, int>(TaskA)), new PoolTaskEntry(FakeTaskB.Instance, null)];
        });

        Assert.Same(FakeTaskA.Instance, table.FindByMethod(new Func<int, int>(TaskA)));
        Assert.Same(FakeTaskA.Instance, table.FindByMethod(new Func<int, int>(TaskA)));
        Assert.Equal(1, entriesBuilt);

        var error = Assert.Throws<ArgumentException>(() => table.FindByMethod(new Func<int, int>(NotATask)));
        Assert.Contains("is not a [PoolTask] method", error.Message);
        Assert.Contains("NotATask", error.Message);
    }

    [Fact]
    public void An_assembly_whose_table_cannot_be_read_fails_only_its_own_lookups()
    {
        var table = new PoolTaskTable();
        table.Register(First, _ => throw new FileNotFoundException("Could not load file or assembly 'Missing'"), () => throw new TypeLoadException("Missing.Type"));
        table.Register(Second, id => id == 1 ? FakeTaskA.Instance : null, () => [new PoolTaskEntry(FakeTaskA.Instance, new Func<int, int>(TaskA))]);

        Assert.Same(FakeTaskA.Instance, table.FindById(1));
        var error = Assert.Throws<InvalidOperationException>(() => table.FindById(2));
        Assert.Contains("0x00000002", error.Message);
        Assert.Contains("could not be read", error.Message);
        Assert.Contains("Missing", error.Message);

        Assert.Same(FakeTaskA.Instance, table.FindByMethod(new Func<int, int>(TaskA)));
        var missing = Assert.Throws<ArgumentException>(() => table.FindByMethod(new Func<int, int>(NotATask)));
        Assert.Contains("Missing.Type", missing.Message);
    }

    [Fact]
    public void A_table_in_the_form_earlier_generators_emitted_still_registers()
    {
        var table = new PoolTaskTable();
        table.Register(First, [new PoolTaskEntry(FakeTaskA.Instance, new Func<int, int>(TaskA))]);

        Assert.Same(FakeTaskA.Instance, table.FindById(SharedId));
        Assert.Null(table.FindById(SharedId + 1));
        Assert.Same(FakeTaskA.Instance, table.FindByMethod(new Func<int, int>(TaskA)));
        Assert.Equal([First], table.Assemblies);
    }

    private static int TaskA(int value) => value;

    private static int NotATask(int value) => value;

    private sealed class FakeTaskA : PoolTaskDescriptor
    {
        public static readonly FakeTaskA Instance = new();

        private FakeTaskA() : base("Fake.A", SharedId) { }

        public override ValueTask Invoke(ref PoolReader arguments, PoolWriter result, CancellationToken cancellationToken) => default;
    }

    private sealed class FakeTaskB : PoolTaskDescriptor
    {
        public static readonly FakeTaskB Instance = new();

        private FakeTaskB() : base("Fake.B", SharedId) { }

        public override ValueTask Invoke(ref PoolReader arguments, PoolWriter result, CancellationToken cancellationToken) => default;
    }
}
