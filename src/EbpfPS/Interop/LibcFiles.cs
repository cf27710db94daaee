using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    internal static unsafe partial class Libc
    {
        [LibraryImport(Library, SetLastError = true)] internal static partial int close(int fd);
    }
}
