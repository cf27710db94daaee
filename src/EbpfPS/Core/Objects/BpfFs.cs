using System;
using System.Collections.Generic;
using System.IO;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>The BPF file system where pinned objects live, mounted when it is missing.</summary>
    internal static class BpfFs
    {
        internal const string MountPoint = "/sys/fs/bpf";

        /// <summary>Whether the last mount on <paramref name="path"/> in /proc/self/mountinfo is a bpf file system.</summary>
        internal static bool IsMounted(IEnumerable<string> mountInfo, string path = MountPoint)
        {
            bool mounted = false;
            foreach (var line in mountInfo)
            {
                // "36 25 0:31 / /sys/fs/bpf rw,nosuid - bpf bpf rw,mode=700": mount point 5th, type after " - ".
                var fields = line.Split(' ');
                int separator = Array.IndexOf(fields, "-");
                if (fields.Length > 4 && separator > 0 && separator + 1 < fields.Length && fields[4] == path)
                    mounted = fields[separator + 1] == "bpf";
            }
            return mounted;
        }

        /// <summary>Makes sure bpffs is mounted at /sys/fs/bpf, mounting it if need be.</summary>
        internal static void Demand(Action<string> warn)
        {
            if (IsMounted(File.ReadLines("/proc/self/mountinfo"))) return;
            if (!Directory.Exists(MountPoint) || Libc.mount("bpf", MountPoint, "bpf", 0, 0) != 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.BpfFsUnavailable,
                    $"The BPF file system is not mounted at {MountPoint}, and mounting it failed",
                    $"Mount it: mount -t bpf bpf {MountPoint} (kernel option CONFIG_BPF_SYSCALL); add it to /etc/fstab to keep it.");
            if (InPrivateMountNamespace())
                warn($"Mounted the BPF file system at {MountPoint}, which this process's mount namespace did not have. " +
                     "Objects pinned there last only as long as this mount namespace (`ip netns exec` makes a private one): " +
                     "use `nsenter --net=/run/netns/NAME` instead, or mount bpffs where the host's init sees it.");
        }

        private static bool InPrivateMountNamespace()
        {
            try { return new FileInfo("/proc/self/ns/mnt").LinkTarget != new FileInfo("/proc/1/ns/mnt").LinkTarget; }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }
    }
}
