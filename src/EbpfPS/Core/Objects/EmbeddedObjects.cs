using System.IO;

namespace EbpfPS.Core.Objects
{
    /// <summary>The kernel programs compiled from bpf/*.bpf.c and embedded in this assembly.</summary>
    internal static class EmbeddedObjects
    {
        internal static byte[] Read(string name)
        {
            string resource = $"EbpfPS.Bpf.{name}.bpf.o";
            using var stream = typeof(EmbeddedObjects).Assembly.GetManifestResourceStream(resource)
                ?? throw new FileNotFoundException($"The embedded BPF object '{resource}' is missing: the build did not compile bpf/{name}.bpf.c.");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
    }
}
