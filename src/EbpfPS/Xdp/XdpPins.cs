using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Xdp
{
    /// <summary>Where filters live between processes: /sys/fs/bpf/ebpfps/IFNAME/ holds the program, its
    /// link and its maps, so the filter keeps working after the process that added it is gone.</summary>
    internal static class XdpPins
    {
        internal const string Root = BpfFs.MountPoint + "/ebpfps";
        internal const string ProgramPin = "program", LinkPin = "link";

        /// <summary>Serializes changes across processes (bpffs cannot hold a lock file). The directory is root's
        /// and 0700, so no other user can open the lock to hold it, nor plant a link in its place.</summary>
        internal const string LockDirectory = "/run/ebpfps", LockPath = LockDirectory + "/xdp.lock";
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

        internal static string Directory(string interfaceName) => Path.Combine(Root, interfaceName);

        internal static bool Exists(string interfaceName) =>
            Interfaces.IsValidName(interfaceName) && File.Exists(Path.Combine(Directory(interfaceName), LinkPin));

        /// <summary>Names of the interfaces that have a pinned filter.</summary>
        internal static IEnumerable<string> Filtered() =>
            System.IO.Directory.Exists(Root)
                ? System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(Exists).OrderBy(n => n, StringComparer.Ordinal)
                : Enumerable.Empty<string>();

        /// <summary>Takes the host-wide lock of XDP filter changes; dispose to release it.</summary>
        internal static IDisposable Lock() => Lock(LockPath, "XDP filter changes", BpfErrorIds.XdpFilterBusy);

        /// <summary>Takes a host-wide lock of changes to pins (<paramref name="changes"/>, in words) held in the file
        /// <paramref name="path"/> of <see cref="LockDirectory"/>; dispose to release it.</summary>
        internal static IDisposable Lock(string path, string changes, string busyErrorId)
        {
            DemandPrivateDirectory(LockDirectory);
            // O_NOFOLLOW: a symbolic link at the lock's path is refused rather than followed.
            int fd = Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY, 0b110_000_000);
            if (fd < 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.PermissionDenied, $"Opening the lock of {changes} ({path}) failed",
                    $"Remove {path} if it is not a file that root made (a symbolic link is refused), then try again.", BpfErrorIds.XdpLockUnsafe);
            var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            var deadline = DateTime.UtcNow + LockTimeout;
            // flock: held until the descriptor is closed, even by a crash.
            while (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
            {
                int errno = Errno.Last;
                if (errno != Libc.EAGAIN || DateTime.UtcNow > deadline)
                {
                    handle.Dispose();
                    if (errno != Libc.EAGAIN)
                        throw ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, $"Locking {path} failed", "Try again; the lock is released when its holder exits.");
                    throw new BpfException(BpfErrorKind.AttachFailed,
                        $"Another process has been making {changes} for {LockTimeout.TotalSeconds} s (it holds {path}).",
                        $"Wait for it to finish; `fuser {path}` shows which process it is.") { ErrorId = busyErrorId };
                }
                Thread.Sleep(20);
            }
            return handle;
        }

        /// <summary>Makes <paramref name="path"/> a directory of root's that only root may enter, or refuses one
        /// that another user could write to or that is a link.</summary>
        private static void DemandPrivateDirectory(string path)
        {
            if (Libc.mkdir(path, 0b111_000_000) != 0 && Errno.Last != Errno.EEXIST)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.AttachFailed, $"Making {path} failed");
            DemandRootOwned(path, 0b000_111_111, "where the lock of XDP filter changes lives", "another user could hold or redirect the lock",
                $"Remove {path} (rm -r {path}); EbpfPS makes it again as a directory of root's with mode 700.");
        }

        /// <summary>Refuses a pin directory that another user owns or may write to (bpffs at /sys/fs/bpf is often
        /// world-writable, like /tmp): whoever could write there could swap the filter's pins.</summary>
        internal static void DemandSafeRoot()
        {
            MakeDirectory(Root);
            DemandRootOwned(Root, 0b000_010_010, "where XDP filters are pinned", "another user could remove or replace the filters' pins",
                    $"Check what is in {Root} (ls -la {Root}); remove it if root did not make it, then add the filters again.");
        }

        /// <summary>mkdir with mode 755 whatever the umask lets through beyond it; an existing one is kept.</summary>
        internal static void MakeDirectory(string path)
        {
            if (Libc.mkdir(path, 0b111_101_101) != 0 && Errno.Last != Errno.EEXIST)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.BpfFsUnavailable, $"Making {path} failed");
        }

        private static void DemandRootOwned(string path, int forbiddenMode, string role, string risk, string hint)
        {
            var status = Libc.Stat(path, out int errno, followLinks: false);
            if (status is null)
                throw ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, $"Looking at {path} failed");
            // root's, or this user's (a user with CAP_NET_ADMIN and CAP_BPF who made it): no one else's
            uint uid = status.Value.Uid;
            if (status.Value.Type != Libc.S_IFDIR || (uid != 0 && uid != Libc.geteuid()) || (status.Value.Mode & forbiddenMode) != 0)
                throw new BpfException(BpfErrorKind.PermissionDenied,
                    $"{path}, {role}, is {UserFiles.Describe(status.Value)} of uid {status.Value.Uid} " +
                    $"with mode {Convert.ToString(status.Value.Mode & 0xFFF, 8)}: {risk}.", hint) { ErrorId = BpfErrorIds.XdpLockUnsafe };
        }

        /// <summary>Pins the object behind <paramref name="fd"/> at <paramref name="path"/>, where any process can open it.</summary>
        internal static void Pin(int fd, string path)
        {
            int rc = Libbpf.bpf_obj_pin(fd, path);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.BpfFsUnavailable, $"Pinning at {path} failed");
        }

        /// <summary>Removes every pin of the filter and its directory, then the root once it is empty.</summary>
        internal static void Delete(string interfaceName)
        {
            string directory = Directory(interfaceName);
            if (System.IO.Directory.Exists(directory))
            {
                foreach (var pin in System.IO.Directory.GetFiles(directory)) File.Delete(pin);
                System.IO.Directory.Delete(directory);
            }
            if (System.IO.Directory.Exists(Root) && !System.IO.Directory.EnumerateFileSystemEntries(Root).Any())
                System.IO.Directory.Delete(Root);
        }
    }
}
