namespace ProcPool.Tests;

/// <summary>What a task prints goes to the parent as worker output, and never into the protocol.</summary>
[Collection(SharedPoolCollection.Name)]
public class OutputTests(PoolFixture fixture)
{
    [Fact]
    public async Task Console_output_in_a_task_is_forwarded_and_does_not_disturb_results()
    {
        string marker = "marker-" + Guid.NewGuid().ToString("N");

        Assert.Equal(marker.Length, await fixture.Pool.TalkAsync(marker));
        for (int i = 0; i < 20; i++) Assert.Equal(i + 1, await fixture.Pool.AddAsync(i, 1));

        await Eventually.TrueAsync(() => fixture.Output.Any(l => l.IsError && l.Line == "err: " + marker), TimeSpan.FromSeconds(10));
        var lines = fixture.Output;
        Assert.Contains(lines, l => !l.IsError && l.Line == marker && l.WorkerId > 0 && l.ProcessId != Environment.ProcessId);
        Assert.Contains(lines, l => l.IsError && l.Line == "err: " + marker);
    }
}
