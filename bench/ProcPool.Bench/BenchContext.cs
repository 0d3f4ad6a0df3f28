using System.Diagnostics;
using ProcPool.Bench.Measurement;

namespace ProcPool.Bench;

/// <summary>What every workload gets: the settings, where to put its figures, and a progress line on stderr.</summary>
public sealed class BenchContext(BenchSettings settings)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BenchSettings Settings { get; } = settings;

    public Dictionary<string, Figure> Figures { get; } = new(StringComparer.Ordinal);

    public Samples Add(string key, string label, string unit, bool higherIsBetter)
    {
        var figure = new Figure(key, label, unit, higherIsBetter, new Samples());
        Figures.Add(key, figure);
        return figure.Samples;
    }

    public void Add(Figure figure) => Figures.Add(figure.Key, figure);

    public Figure? Find(string key) => Figures.GetValueOrDefault(key);

    public void Log(string message) => Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {message}");

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Options for every pool the benchmark starts: the defaults, with the benchmark's worker count.</summary>
    public static PoolOptions PoolOptions() => new() { Workers = BenchSettings.Workers };
}
