using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>File descriptor calls for the tracefs files that .NET streams cannot read without
    /// blocking (trace_pipe): open with O_NONBLOCK, poll(2), read(2).</summary>
    internal static unsafe partial class Libc
    {
        internal const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
        internal const short POLLIN = 0x1;
        internal const int EAGAIN = 11;

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int open(string path, int flags);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial nint read(Microsoft.Win32.SafeHandles.SafeFileHandle fd, byte* buffer, nuint count);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int poll(PollFd* fds, nuint count, int timeoutMs);

        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            public int Fd;
            public short Events;
            public short ReturnedEvents;
        }
    }
}
