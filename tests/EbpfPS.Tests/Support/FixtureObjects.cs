namespace EbpfPS.Tests.Support
{
    /// <summary>The BPF objects compiled from Fixtures/*.bpf.c, embedded as EbpfPS.Tests.Fixtures.NAME.bpf.o.</summary>
    internal static class FixtureObjects
    {
        internal static byte[] Read(string name)
        {
            using var stream = typeof(FixtureObjects).Assembly.GetManifestResourceStream($"EbpfPS.Tests.Fixtures.{name}.bpf.o")!;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
    }
}
