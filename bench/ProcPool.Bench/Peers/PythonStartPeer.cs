using System.Diagnostics;
using System.Globalization;

namespace ProcPool.Bench.Peers;

/// <summary>
/// A python3 running <c>pool_baseline.py --serve-starts</c>: each <see cref="MeasureStart"/> starts and stops one
/// <c>Pool(2)</c> (spawn) and returns its start time, so (a) can alternate Python's starts with ProcPool's.
/// </summary>
public sealed class PythonStartPeer : IDisposable
{
    private readonly Process _process;

    private PythonStartPeer(Process process) => _process = process;

    /// <summary>The peer, or null when python3 is not on the PATH.</summary>
    public static PythonStartPeer? TryStart()
    {
        if (PythonPeer.FindOnPath("python3") is not { } python) return null;
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", "pool_baseline.py"));
        info.ArgumentList.Add("--serve-starts");
        return new PythonStartPeer(Process.Start(info)!);
    }

    /// <summary>Milliseconds from creating a Python Pool(2) until both its workers have answered a task.</summary>
    public double MeasureStart()
    {
        _process.StandardInput.WriteLine("start");
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"pool_baseline.py --serve-starts ended (exit code {(_process.HasExited ? _process.ExitCode : -1)}).");
        return double.Parse(line, CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
