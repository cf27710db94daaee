using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>What a path is before anything opens it (statx, statfs), and the flock of a lock file. statx's
    /// struct is the same on every architecture, unlike struct stat.</summary>
    internal static unsafe partial class Libc
    {
        internal const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
        internal const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8, STATX_INO = 0x100, STATX_SIZE = 0x200;
        internal const int O_RDWR = 2, O_CREAT = 0x40, O_NOCTTY = 0x100, O_NOFOLLOW = 0x20000;
        internal const int LOCK_EX = 2, LOCK_NB = 4;
        internal const uint BPF_FS_MAGIC = 0xcafe4a11;

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        private static partial int statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        private static partial int statfs(string path, byte* buffer);

        [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int open(string path, int flags, uint mode);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int mkdir(string path, uint mode);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int flock(int fd, int operation);

        /// <summary>The type bits of st_mode (S_IFMT) and the ones we tell apart.</summary>
        internal const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFIFO = 0x1000,
            S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFSOCK = 0xC000;

        internal readonly record struct FileStatus(int Mode, uint Uid, long Size, ulong Inode)
        {
            internal int Type => Mode & S_IFMT;
        }

        /// <summary>statx of <paramref name="path"/> (of the fd itself with <paramref name="fd"/> and an empty path),
        /// or the errno.</summary>
        internal static FileStatus? Stat(string path, out int errno, bool followLinks = true, int fd = AT_FDCWD)
        {
            byte* buffer = stackalloc byte[256];
            int flags = (followLinks ? 0 : AT_SYMLINK_NOFOLLOW) | (path.Length == 0 ? AT_EMPTY_PATH : 0);
            if (statx(fd, path, flags, STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO | STATX_SIZE, buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }
            errno = 0;
            var span = new ReadOnlySpan<byte>(buffer, 256);
            // struct statx: stx_uid at 20, stx_mode (u16) at 28, stx_ino at 32, stx_size at 40 (native byte order).
            return new FileStatus(MemoryMarshal.Read<ushort>(span[28..]), MemoryMarshal.Read<uint>(span[20..]), MemoryMarshal.Read<long>(span[40..]),
                MemoryMarshal.Read<ulong>(span[32..]));
        }

        /// <summary>The magic number of the file system that holds <paramref name="path"/> (f_type), or null.</summary>
        internal static uint? FileSystemType(string path)
        {
            byte* buffer = stackalloc byte[512];
            if (statfs(path, buffer) != 0) return null;
            // f_type is the first field: a long on 64-bit Linux (an int on s390x, where the layout is big-endian).
            var span = new ReadOnlySpan<byte>(buffer, 16);
            return BitConverter.IsLittleEndian || !Environment.Is64BitProcess
                ? MemoryMarshal.Read<uint>(span)
                : (uint)MemoryMarshal.Read<ulong>(span);
        }
    }
}
