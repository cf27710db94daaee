using System;
using System.IO;

namespace EbpfPS.Tests.Support
{
    /// <summary>A directory on bpffs for a test's pins, removed with everything pinned in it when the test ends
    /// (unpinning drops the last reference, so the kernel frees the objects).</summary>
    internal sealed class PinDirectory : IDisposable
    {
        internal PinDirectory()
        {
            Path = $"/sys/fs/bpf/ebpfps-test-{Guid.NewGuid():N}";
            Directory.CreateDirectory(Path);
        }

        internal string Path { get; }

        internal string this[string name] => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
