// The benchmark's native worker host: ProcPool and the benchmark's tasks, compiled into one executable.
return ProcPool.Hosting.WorkerEntryPoint.Run(args);
