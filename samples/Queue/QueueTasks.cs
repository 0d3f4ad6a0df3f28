using ProcPool;

namespace Queue;

public static class QueueTasks
{
    /// <summary>The reference's <c>writer(q)</c>: puts each letter of "helloworld" on the shared queue.</summary>
    [PoolTask]
    public static void Writer(SharedQueue<char> q)
    {
        Console.WriteLine($"writer starts ({Environment.ProcessId}), parent process is ({ParentProcess.Id})");
        foreach (char i in "helloworld")
            q.Put(i);                                                  // q.put(i)
    }

    /// <summary>The reference's <c>reader(q)</c>: takes as many letters as the queue holds when it starts.</summary>
    [PoolTask]
    public static void Reader(SharedQueue<char> q)
    {
        Console.WriteLine($"reader starts ({Environment.ProcessId}), parent process is ({ParentProcess.Id})");
        for (int i = 0, size = q.Count; i < size; i++)                 // for i in range(q.qsize()):
            Console.WriteLine($"reader got the message from Queue: {q.Get()}"); // q.get(True)
    }
}

/// <summary>Python's <c>os.getppid()</c>, which .NET lacks: the fourth field of /proc/self/stat on Linux.</summary>
internal static class ParentProcess
{
    public static int Id
    {
        get
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // "pid (comm) state ppid ...": comm may hold spaces or parentheses, so count from the last ')'.
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
    }
}
