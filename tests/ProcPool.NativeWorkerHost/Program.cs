// A native worker host: everything is in ProcPool.dll and the task assembly, compiled into this executable.
return ProcPool.Hosting.WorkerEntryPoint.Run(args);
