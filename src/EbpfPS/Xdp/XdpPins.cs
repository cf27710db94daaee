using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
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

        /// <summary>Serializes changes across processes (bpffs cannot hold a lock file).</summary>
        private const string LockPath = "/run/lock/ebpfps-xdp.lock";
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
        internal static IDisposable Lock()
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
            var deadline = DateTime.UtcNow + LockTimeout;
            while (true)
            {
                try
                {
                    // FileShare.None takes flock(LOCK_EX) on Linux: held until the stream is closed, even by a crash.
                    return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException)
                {
                    if (DateTime.UtcNow > deadline)
                        throw new BpfException(BpfErrorKind.AttachFailed,
                            $"Another process has been changing an XDP filter for {LockTimeout.TotalSeconds} s (it holds {LockPath}).",
                            $"Wait for it to finish; `fuser {LockPath}` shows which process it is.") { ErrorId = "XdpFilterBusy" };
                    Thread.Sleep(20);
                }
            }
        }

        /// <summary>Pins the object behind <paramref name="fd"/> at <paramref name="path"/>, where any process can open it.</summary>
        internal static void Pin(int fd, string path)
        {
            int rc = Libbpf.bpf_obj_pin(fd, path);
            if (rc != 0)
                throw Errno.Exception(Errno.FromResult(rc), BpfErrorKind.BpfFsUnavailable, $"Pinning at {path} failed");
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
