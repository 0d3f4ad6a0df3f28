namespace ProcPool.Bench.Measurement;

/// <summary>Repeated measurements of one figure, summarized as min / median / max (noise on a shared machine is one-sided, so the min is the most stable).</summary>
public sealed class Samples
{
    private readonly List<double> _values = [];

    public Samples() { }

    public Samples(IEnumerable<double> values) => _values.AddRange(values);

    public int Count => _values.Count;

    public IReadOnlyList<double> Values => _values;

    public void Add(double value) => _values.Add(value);

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    public double Median => Percentile(50);

    /// <summary>Linear interpolation between closest ranks (numpy's default, and what the Python script uses).</summary>
    public double Percentile(double p)
    {
        if (_values.Count == 0) return double.NaN;
        var sorted = _values.Order().ToArray();
        double k = (sorted.Length - 1) * p / 100.0;
        int lo = (int)k;
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo);
    }
}
