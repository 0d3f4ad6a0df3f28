namespace ProcPool.Sharing;

/// <summary>
/// A directory only this user can enter (mode 0700), made for one shared object's files (a lock file, a socket). What
/// protects those files from other local users is this directory: without search permission on it, no other user can
/// open or connect to anything inside, whatever the files' own modes.
/// </summary>
internal static class PrivateDirectory
{
    public static string Create(string purpose)
    {
        // CreateTempSubdirectory makes a fresh, randomly named directory with mode 0700 on Unix.
        var directory = Directory.CreateTempSubdirectory($"procpool-{purpose}-");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory.FullName;
    }

    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Another process may still hold a file open; the directory is in the temp folder, which the OS cleans.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
