// One call of Add(a, b) in a process of its own: the Process.Start-per-call baseline of bench/ProcPool.Bench.
using System.Globalization;

if (args.Length != 2) return 2;
int a = int.Parse(args[0], CultureInfo.InvariantCulture);
int b = int.Parse(args[1], CultureInfo.InvariantCulture);
Console.Out.Write((a + b).ToString(CultureInfo.InvariantCulture));
return 0;
