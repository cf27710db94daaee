using System;
using System.IO;
using EbpfPS.Interop;
using Microsoft.Win32.SafeHandles;

namespace EbpfPS.Core
{
    /// <summary>Files the user names (-Path): looked at with statx before anything opens them, so a FIFO does not
    /// block, a device is not read without end, and a directory or a huge file gets an error that says so.</summary>
    internal static class UserFiles
    {
        /// <summary>Far above any BPF object clang writes (the largest libbpf-tools object is a few MB).</summary>
        internal const long MaxObjectBytes = 64L << 20;

        private const string ObjectHint = "Give the path of an object compiled with clang -g -O2 -target bpf -c x.bpf.c -o x.bpf.o.";

        /// <summary>The whole of a compiled BPF object: a regular, non-empty file of at most <see cref="MaxObjectBytes"/>.</summary>
        internal static byte[] ReadObject(string path)
        {
            DemandObject(path, StatOrThrow(path, BpfErrorIds.BpfObjectFileNotFound, $"The BPF object '{path}'", ObjectHint));
            // O_NONBLOCK: were the path swapped for a FIFO since statx, opening it does not wait for a writer.
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC | Libc.O_NOCTTY);
            if (fd < 0) throw OpenFailed(path, Errno.Last);
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            var opened = Libc.Stat("", out int errno, fd: fd) ?? throw OpenFailed(path, errno);
            DemandObject(path, opened); // what was opened, should the path have changed since
            var bytes = new byte[opened.Size];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
            return read == bytes.Length ? bytes : bytes[..read];
        }

        private static void DemandObject(string path, Libc.FileStatus status)
        {
            DemandRegular(path, status, ObjectHint);
            if (status.Size == 0)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is not a BPF object: the file is empty.", ObjectHint) { ErrorId = BpfErrorIds.BpfObjectInvalid };
            if (status.Size > MaxObjectBytes)
                throw new BpfException(BpfErrorKind.LimitExceeded,
                    FormattableString.Invariant($"'{path}' is {status.Size:N0} bytes, more than the {MaxObjectBytes >> 20} MB a BPF object may have here."), ObjectHint) { ErrorId = BpfErrorIds.BpfObjectTooLarge };
        }

        /// <summary>Refuses what cannot be a pinned BPF object before libbpf is asked (it says "permission denied"
        /// to root for a file of another file system, and for a directory).</summary>
        internal static void DemandPinnable(string path, string notFoundId, string notFoundHint)
        {
            var status = StatOrThrow(path, notFoundId, $"'{path}'", notFoundHint);
            const string hint = "Give the path of an object pinned under a bpffs mount such as /sys/fs/bpf/NAME; " +
                                "`Get-BpfMap | Select-Object Id, Name, PinnedPaths` lists pinned maps.";
            if (status.Type != Libc.S_IFREG)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is {Describe(status)}, not a pinned BPF object.", hint) { ErrorId = BpfErrorIds.BpfPathNotPinned };
            if (Libc.FileSystemType(path) is uint magic && magic != Libc.BPF_FS_MAGIC)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{path}' is not a pinned BPF object: it is not on a BPF file system (bpffs).", hint) { ErrorId = BpfErrorIds.BpfPathNotPinned };
        }

        private static Libc.FileStatus StatOrThrow(string path, string notFoundId, string what, string hint)
        {
            if (Libc.Stat(path, out int errno) is { } status) return status;
            if (errno is Errno.ENOENT or 20 /* ENOTDIR */)
                throw new BpfException(BpfErrorKind.NotFound, $"{what} does not exist.", hint) { ErrorId = notFoundId, Errno = errno };
            throw OpenFailed(path, errno);
        }

        private static BpfException OpenFailed(string path, int errno) =>
            ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Reading '{path}' failed",
                errno is Errno.EACCES or Errno.EPERM ? $"Check the permissions of '{path}' and of the directories above it (ls -ld), or run as root." : "Check the path.");

        private static void DemandRegular(string path, Libc.FileStatus status, string hint)
        {
            if (status.Type != Libc.S_IFREG)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is {Describe(status)}, not a file: only a regular file can hold a BPF object.", hint)
                    { ErrorId = BpfErrorIds.BpfObjectNotAFile };
        }

        internal static string Describe(Libc.FileStatus status) => status.Type switch
        {
            Libc.S_IFDIR => "a directory",
            Libc.S_IFIFO => "a FIFO (named pipe)",
            Libc.S_IFCHR => "a character device",
            Libc.S_IFBLK => "a block device",
            Libc.S_IFSOCK => "a socket",
            Libc.S_IFLNK => "a symbolic link",
            _ => "a regular file",
        };
    }
}
