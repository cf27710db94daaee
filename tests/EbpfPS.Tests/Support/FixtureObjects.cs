using System.IO;

namespace EbpfPS.Tests.Support
{
    /// <summary>The BPF objects compiled from tests/EbpfPS.Tests/Fixtures/*.bpf.c and embedded in the test assembly.</summary>
    internal static class FixtureObjects
    {
        internal static byte[] Read(string name)
        {
            using var stream = typeof(FixtureObjects).Assembly.GetManifestResourceStream($"EbpfPS.Tests.Fixtures.{name}.bpf.o")
                ?? throw new FileNotFoundException($"tests/EbpfPS.Tests/Fixtures/{name}.bpf.c was not compiled into the test assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
