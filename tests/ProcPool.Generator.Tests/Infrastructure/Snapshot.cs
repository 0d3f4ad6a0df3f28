using System.Runtime.CompilerServices;
using System.Text;

namespace ProcPool.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot checks with Verify's file conventions, so moving to Verify later is a package swap: the expected text
/// lives in <c>{Class}.{Method}#{name}.verified.cs</c> beside the test; a mismatch writes the actual text to
/// <c>.received.cs</c> next to it and fails. Set <c>PROCPOOL_ACCEPT_SNAPSHOTS=1</c> to accept received text.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "PROCPOOL_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        string directory = Path.GetDirectoryName(testFile)!;
        string testClass = Path.GetFileNameWithoutExtension(testFile);
        string stem = Path.Combine(directory, $"{testClass}.{testMethod}#{name}");
        string verified = stem + ".verified.cs";
        string received = stem + ".received.cs";
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, actual, new UTF8Encoding(false));
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (File.Exists(verified) && Normalize(File.ReadAllText(verified)) == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual, new UTF8Encoding(false));
        Assert.Fail(File.Exists(verified)
            ? $"The generated {name} differs from {Path.GetFileName(verified)}. Compare it with {Path.GetFileName(received)}; if the change is intended, rerun with {AcceptVariable}=1."
            : $"No snapshot {Path.GetFileName(verified)} yet. Review {Path.GetFileName(received)} and rerun with {AcceptVariable}=1 to accept it.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF').TrimEnd() + "\n";
}
