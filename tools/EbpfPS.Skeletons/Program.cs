using System;
using System.IO;
using System.Linq;
using EbpfPS.Skeletons;

// EbpfPS.Skeletons OUTPUT.g.cs OBJECT.bpf.o...: writes the skeletons of the objects; the file is left as
// it is when nothing changed, so that what depends on it is not built again.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: EbpfPS.Skeletons OUTPUT.g.cs OBJECT.bpf.o...");
    return 2;
}
try
{
    string code = new SkeletonWriter().Write(args.Skip(1).OrderBy(a => a, StringComparer.Ordinal).Select(CompiledObject.Read));
    if (!File.Exists(args[0]) || File.ReadAllText(args[0]) != code) File.WriteAllText(args[0], code);
    return 0;
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
