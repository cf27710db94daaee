using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>The few libc calls the engine needs.</summary>
    internal static unsafe partial class Libc
    {
        private const string Library = "libc";

        /// <summary>Formats libbpf's printf-style log lines; args is a va_list.</summary>
        [LibraryImport(Library)]
        internal static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint args);

        [LibraryImport(Library)] internal static partial uint geteuid();

        /// <summary>glibc: returns freed heap memory to the kernel. Not in every libc (musl lacks it).</summary>
        [LibraryImport(Library)] internal static partial int malloc_trim(nuint pad);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int clock_gettime(int clock, out Timespec time);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int mount(string source, string target, string fileSystemType, nuint flags, nint data);

        internal const int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
            public readonly long TotalNanoseconds => Seconds * 1_000_000_000L + Nanoseconds;
        }
    }
}
