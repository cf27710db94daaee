using System.IO;
using EbpfPS.Core.Objects;
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

        /// <summary>Has bpftool load the object, pin its programs under <paramref name="programs"/> (and its maps
        /// under <paramref name="maps"/>), and exit: what is pinned then outlives its creator.</summary>
        internal static void LoadWithBpftool(string name, string programs, string? maps = null)
        {
            string path = Path.Combine(Path.GetTempPath(), $"ebpfps-test-{System.Guid.NewGuid():N}-{name}.bpf.o");
            File.WriteAllBytes(path, Read(name));
            try { Bpftool.Run($"prog loadall {path} {programs}" + (maps is null ? "" : $" pinmaps {maps}")); }
            finally { File.Delete(path); }
        }
    }
}
