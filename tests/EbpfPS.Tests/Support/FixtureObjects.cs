using System.IO;
using EbpfPS.Core;

namespace EbpfPS.Tests.Support
{
    /// <summary>The test's own BPF objects, compiled from Fixtures/*.bpf.c and embedded.</summary>
    internal static class FixtureObjects
    {
        internal static byte[] Read(string name)
        {
            using var stream = typeof(FixtureObjects).Assembly.GetManifestResourceStream($"EbpfPS.Tests.Fixtures.{name}.bpf.o")!;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }

        internal static BpfObject Load(string name)
        {
            var obj = BpfObject.Open(Read(name), name);
            try { obj.Load(); }
            catch
            {
                obj.Dispose();
                throw;
            }
            return obj;
        }

        /// <summary>The object as a file, for bpftool to load (the caller deletes it).</summary>
        internal static string WriteToTempFile(string name)
        {
            string path = Path.Combine(Path.GetTempPath(), $"ebpfps-test-{System.Guid.NewGuid():N}-{name}.bpf.o");
            File.WriteAllBytes(path, Read(name));
            return path;
        }
    }
}
