using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcPool.Hosting;

/// <summary>
/// How to start a worker. By default the way vstest starts its testhost, so that the worker resolves exactly the
/// parent's dependencies: <c>dotnet exec --runtimeconfig &lt;app&gt;.runtimeconfig.json --depsfile &lt;app&gt;.deps.json
/// ProcPool.Worker.dll</c>. The worker then sees the parent's assemblies (the tasks, their libraries, ProcPool itself)
/// whether the parent is a console app, a test host or a library loaded by an app. With
/// <see cref="PoolOptions.WorkerExecutable"/>, the executable named there is started directly instead.
/// </summary>
/// <param name="HostPath">The program started.</param>
/// <param name="HostArguments">Its arguments before the worker's own.</param>
internal sealed record WorkerLaunchPlan(string HostPath, IReadOnlyList<string> HostArguments)
{
    public const string WorkerAssemblyFileName = "ProcPool.Worker.dll";

    public static WorkerLaunchPlan Resolve(PoolOptions options)
    {
        if (options.WorkerExecutable is { } executable) return new WorkerLaunchPlan(FindWorkerExecutable(executable), []);
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            if (options.WorkerHostPath is not null)
                throw new PlatformNotSupportedException(
                    $"PoolOptions.WorkerHostPath names {options.WorkerHostPath}, which runs on the shared runtime; this application is " +
                    "compiled ahead of time (NativeAOT), so its workers are native. Leave WorkerHostPath unset, or set PoolOptions.WorkerExecutable.");
            // A native application cannot run ProcPool.Worker.dll; if its Main hands worker command lines to
            // WorkerEntryPoint.TryRun, it is its own worker.
            if (WorkerEntryPoint.ApplicationIsWorkerHost && Environment.ProcessPath is { } self) return new WorkerLaunchPlan(self, []);
            throw new PlatformNotSupportedException(
                "This application is compiled ahead of time (NativeAOT), so its workers cannot run ProcPool.Worker.dll on the " +
                "shared runtime. Start Main with `if (WorkerEntryPoint.TryRun(args, out int exitCode)) return exitCode;` so that " +
                "it can be its own worker, or set PoolOptions.WorkerExecutable (docs/native-workers.md).");
        }
        string workerAssembly = FindWorkerAssembly(options.WorkerHostPath);
        string? deps = FindApplicationDepsFile();
        string? runtimeConfig = FindRuntimeConfig(deps);
        var arguments = new List<string> { "exec" };
        if (runtimeConfig is not null) arguments.AddRange(["--runtimeconfig", runtimeConfig]);
        if (deps is not null) arguments.AddRange(["--depsfile", deps]);
        arguments.Add(workerAssembly);
        return new WorkerLaunchPlan(FindDotnetHost(), arguments);
    }

    /// <summary>The command line, for error messages.</summary>
    public string Describe() => HostArguments.Count == 0 ? HostPath : $"{HostPath} {string.Join(' ', HostArguments)}";

    public ProcessStartInfo CreateStartInfo(WorkerArguments arguments)
    {
        var info = new ProcessStartInfo(HostPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var argument in HostArguments) info.ArgumentList.Add(argument);
        foreach (var argument in arguments.ToArgumentList()) info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>A relative path is looked for next to the application first (native-worker/MyWorker), then in the current directory.</summary>
    private static string FindWorkerExecutable(string configured)
    {
        if (!Path.IsPathRooted(configured) && Path.Combine(AppContext.BaseDirectory, configured) is var besideApplication && File.Exists(besideApplication))
            return Path.GetFullPath(besideApplication);
        if (File.Exists(configured)) return Path.GetFullPath(configured);
        throw new FileNotFoundException(
            $"PoolOptions.WorkerExecutable points to {configured}, which does not exist. Name an executable whose Main " +
            "starts with WorkerEntryPoint.TryRun (docs/native-workers.md).", configured);
    }

    private static string FindWorkerAssembly(string? configured)
    {
        if (configured is not null)
        {
            if (File.Exists(configured)) return Path.GetFullPath(configured);
            throw new FileNotFoundException($"PoolOptions.WorkerHostPath points to {configured}, which does not exist.", configured);
        }
        // The application's dependency list names every assembly it ships, ProcPool.Worker among them.
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator))
                if (string.Equals(Path.GetFileName(path), WorkerAssemblyFileName, StringComparison.OrdinalIgnoreCase) && File.Exists(path))
                    return path;
        }
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, WorkerAssemblyFileName) };
        if (Path.GetDirectoryName(OwnLocation()) is { Length: > 0 } ownDirectory) candidates.Add(Path.Combine(ownDirectory, WorkerAssemblyFileName));
        foreach (var candidate in candidates)
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException(
            $"Cannot find the worker host {WorkerAssemblyFileName} next to the application ({AppContext.BaseDirectory}). " +
            "Reference the ProcPool package (or the runtime/ProcPool.Worker project), or set PoolOptions.WorkerHostPath.",
            WorkerAssemblyFileName);
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "Empty in a single-file app; the caller then looks only beside AppContext.BaseDirectory.")]
    private static string OwnLocation() => typeof(WorkerLaunchPlan).Assembly.Location;

    private static string? FindApplicationDepsFile()
    {
        if (AppContext.GetData("APP_CONTEXT_DEPS_FILES") is not string all) return null;
        string? framework = AppContext.GetData("FX_DEPS_FILE") as string;
        foreach (var path in all.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (framework is not null && string.Equals(path, framework, StringComparison.Ordinal)) continue;
            if (path.Contains(Path.DirectorySeparatorChar + "shared" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static string? FindRuntimeConfig(string? depsFile)
    {
        if (depsFile is not null && depsFile.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase))
        {
            string candidate = depsFile[..^".deps.json".Length] + ".runtimeconfig.json";
            if (File.Exists(candidate))
            {
                if (File.ReadAllText(candidate).Contains("\"includedFrameworks\"", StringComparison.Ordinal))
                    throw new PlatformNotSupportedException(
                        "This application is self-contained; ProcPool workers are started with the shared .NET runtime (dotnet exec). Publish the application framework-dependent.");
                return candidate;
            }
        }
        return WriteFallbackRuntimeConfig();
    }

    private static string WriteFallbackRuntimeConfig()
    {
        // No runtimeconfig beside the deps file (an unusual host): describe the runtime we run on.
        string version = Environment.Version.ToString(3);
        string directory = Path.Combine(Path.GetTempPath(), "procpool");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"worker-{version}.runtimeconfig.json");
        if (!File.Exists(path))
        {
            string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            string json = "{\"runtimeOptions\":{\"tfm\":\"" + tfm + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + version + "\"}}}";
            string temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, json);
            File.Move(temporary, path, overwrite: true);
        }
        return path;
    }

    private static string FindDotnetHost()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && string.Equals(Path.GetFileName(self), exe, StringComparison.OrdinalIgnoreCase))
            return self;
        foreach (var variable in new[] { "DOTNET_HOST_PATH" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } host && File.Exists(host))
                return host;
        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtimeDirectory = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var root = runtimeDirectory.Parent?.Parent?.Parent;
        if (root is not null && File.Exists(Path.Combine(root.FullName, exe))) return Path.Combine(root.FullName, exe);
        foreach (var variable in new[] { "DOTNET_ROOT", "DOTNET_ROOT_X64" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } dir && File.Exists(Path.Combine(dir, exe)))
                return Path.Combine(dir, exe);
        throw new FileNotFoundException($"Cannot find the dotnet host ({exe}) to start workers with; set DOTNET_ROOT.");
    }
}
