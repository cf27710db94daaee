using System.IO;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Interop;
using Xunit;

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

        /// <summary>The object written to a temporary file, as -Path takes it; the caller deletes it.</summary>
        internal static string WriteToFile(string name)
        {
            string path = Path.Combine(Path.GetTempPath(), $"ebpfps-{System.Guid.NewGuid():N}-{name}.bpf.o");
            File.WriteAllBytes(path, Read(name));
            return path;
        }

        /// <summary>The u64 at <paramref name="key"/> of an array map (a fixture's counter).</summary>
        internal static unsafe ulong Counter(int mapFd, uint key)
        {
            ulong value;
            Assert.Equal(0, Libbpf.bpf_map_lookup_elem(mapFd, &key, &value));
            return value;
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
            string path = WriteToFile(name);
            try { Bpftool.Run($"prog loadall {path} {programs}" + (maps is null ? "" : $" pinmaps {maps}")); }
            finally { File.Delete(path); }
        }
    }
}
