using System.Collections.Generic;
using System.IO;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>Every program, map or link loaded in the kernel, by id, whoever loaded it; and file
    /// descriptors for them by id or pinned path.</summary>
    internal static unsafe class KernelObjectIds
    {
        internal static IEnumerable<uint> All(BpfObjectKind kind)
        {
            uint id = 0;
            while (true)
            {
                int rc = NextId(kind, id, out uint next);
                if (rc != 0)
                {
                    int errno = Errno.FromResult(rc);
                    if (errno == Errno.ENOENT) yield break;
                    throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Listing the kernel's BPF {Plural(kind)} failed", Privileges.ByIdHint(errno));
                }
                yield return id = next;
            }
        }

        private static int NextId(BpfObjectKind kind, uint id, out uint next)
        {
            fixed (uint* p = &next)
                return kind switch
                {
                    BpfObjectKind.Program => Libbpf.bpf_prog_get_next_id(id, p),
                    BpfObjectKind.Map => Libbpf.bpf_map_get_next_id(id, p),
                    _ => Libbpf.bpf_link_get_next_id(id, p),
                };
        }

        /// <summary>An fd for the object with this id, or null when there is none (any more).</summary>
        internal static FileDescriptorHandle? TryOpen(BpfObjectKind kind, uint id)
        {
            int fd = kind switch
            {
                BpfObjectKind.Program => Libbpf.bpf_prog_get_fd_by_id(id),
                BpfObjectKind.Map => Libbpf.bpf_map_get_fd_by_id(id),
                _ => Libbpf.bpf_link_get_fd_by_id(id),
            };
            if (fd >= 0) return new FileDescriptorHandle(fd);
            int errno = Errno.FromResult(fd);
            if (errno == Errno.ENOENT) return null;
            throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Opening BPF {kind.ToString().ToLowerInvariant()} {id} failed", Privileges.ByIdHint(errno));
        }

        private const string PinHint =
            "Give the path of a pinned object under a bpffs mount such as /sys/fs/bpf; `Get-BpfMap | Select-Object Id, Name, PinnedPaths` lists pinned maps.";

        /// <summary>An fd for the object pinned at <paramref name="path"/>, and what kind of object it is.</summary>
        internal static (FileDescriptorHandle Fd, BpfObjectKind Kind) OpenPinned(string path)
        {
            UserFiles.DemandPinnable(path, BpfErrorIds.BpfPinNotFound, PinHint);
            int fd = Libbpf.bpf_obj_get(path);
            if (fd < 0)
            {
                int errno = Errno.FromResult(fd);
                if (errno == Errno.ENOENT)
                    throw new BpfException(BpfErrorKind.NotFound, $"Nothing is pinned at '{path}'.", PinHint) { ErrorId = BpfErrorIds.BpfPinNotFound };
                throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Opening the pinned object '{path}' failed",
                    errno == Errno.EINVAL ? $"'{path}' is not on a bpffs mount (mount -t bpf bpf /sys/fs/bpf)." : null);
            }
            var handle = new FileDescriptorHandle(fd);
            var kind = KindOf(fd);
            if (kind is null)
            {
                handle.Dispose();
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is pinned but is not a BPF program, map or link.");
            }
            return (handle, kind.Value);
        }

        /// <summary>What an fd is, from its anonymous inode's name ("anon_inode:bpf-map").</summary>
        internal static BpfObjectKind? KindOf(int fd)
        {
            string? target;
            try { target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget; }
            catch (IOException) { return null; }
            return target switch
            {
                "anon_inode:bpf-prog" => BpfObjectKind.Program,
                "anon_inode:bpf-map" => BpfObjectKind.Map,
                "anon_inode:bpf_link" or "anon_inode:bpf-link" => BpfObjectKind.Link, // newer kernels (6.18) say bpf-link
                _ => null,
            };
        }

        internal static string Plural(BpfObjectKind kind) => kind.ToString().ToLowerInvariant() + "s";
    }
}
