using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>The socket calls a netlink request needs.</summary>
    internal static unsafe partial class Libc
    {
        internal const int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_GENERIC = 16,
            SOL_SOCKET = 1, SO_RCVTIMEO = 20;

        [LibraryImport(Library, SetLastError = true)] internal static partial int socket(int domain, int type, int protocol);
        [LibraryImport(Library, SetLastError = true)] internal static partial nint send(int fd, byte* buffer, nuint length, int flags);
        [LibraryImport(Library, SetLastError = true)] internal static partial nint recv(int fd, byte* buffer, nuint length, int flags);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int setsockopt(int fd, int level, int name, void* value, uint length);
    }
}
