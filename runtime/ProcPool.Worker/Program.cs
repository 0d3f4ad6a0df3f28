// The whole worker lives in ProcPool.dll; this assembly only gives `dotnet exec` an entry point.
return ProcPool.Hosting.WorkerEntryPoint.Run(args);
