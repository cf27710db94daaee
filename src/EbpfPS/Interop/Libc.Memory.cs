using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>mmap(2) for the consumer side of a BPF ring buffer.</summary>
    internal static unsafe partial class Libc
    {
        internal const int PROT_READ = 0x1, PROT_WRITE = 0x2, MAP_SHARED = 0x1;
        internal static readonly nint MAP_FAILED = -1;

        [LibraryImport(Library, SetLastError = true)]
        internal static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int munmap(nint address, nuint length);
    }
}
