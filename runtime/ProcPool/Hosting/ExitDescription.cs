using System.Diagnostics;

namespace ProcPool.Hosting;

/// <summary>Describes how a process ended, naming the signal where .NET reports one as 128 + signal number.</summary>
internal static class ExitDescription
{
    public static string Describe(Process process)
    {
        try
        {
            if (!process.HasExited) return "it stopped answering and was killed";
            int code = process.ExitCode;
            if (SignalOf(code) is { } signal) return $"killed by signal {signal} ({SignalName(signal)}), exit code {code}";
            return $"exit code {code}";
        }
        catch (InvalidOperationException)
        {
            return "exit status unknown";
        }
    }

    /// <summary>The exit code, or minus the signal that killed the process (Python's convention); null if not known yet.</summary>
    public static int? PythonExitCode(Process process)
    {
        try
        {
            if (!process.HasExited) return null;
            int code = process.ExitCode;
            return SignalOf(code) is { } signal ? -signal : code;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // .NET on Unix reports a death by signal N as exit code 128 + N.
    private static int? SignalOf(int code) => !OperatingSystem.IsWindows() && code > 128 && code <= 128 + 64 ? code - 128 : null;

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT: an abort, Environment.FailFast or a stack overflow",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV: an access violation in native code",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "SIG" + signal,
    };
}
