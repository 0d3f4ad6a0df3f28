namespace ProcPool.Bench.Measurement;

/// <summary>One measured quantity: who it belongs to (ProcPool or a peer), what it is, its unit and its samples.</summary>
/// <param name="Key">Stable name, the JSON key: <c>b.procpool.tasks_per_s</c>.</param>
/// <param name="Label">What the table prints.</param>
/// <param name="Unit">ms, us, tasks/s, MB/s, MB, B...</param>
/// <param name="HigherIsBetter">For throughputs; false for times and sizes.</param>
public sealed record Figure(string Key, string Label, string Unit, bool HigherIsBetter, Samples Samples)
{
    public double Median => Samples.Median;
}
