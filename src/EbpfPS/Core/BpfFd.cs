using System;
using EbpfPS.Interop;
using Microsoft.Win32.SafeHandles;

namespace EbpfPS.Core
{
    /// <summary>A file descriptor of a BPF map, program or link. Closing it drops this process's reference
    /// only: a pin in bpffs keeps the kernel object alive after every process has let go.</summary>
    internal sealed class BpfFd : IDisposable
    {
        private readonly SafeFileHandle _handle;

        private BpfFd(int fd, bool owned) => _handle = new SafeFileHandle(fd, owned);

        internal int Value => (int)_handle.DangerousGetHandle();

        /// <summary>Takes ownership of a descriptor a bpf(2) call returned.</summary>
        internal static BpfFd Own(int fd) => new(fd, owned: true);

        /// <summary>Uses a descriptor that something else (a BpfObject) owns and closes.</summary>
        internal static BpfFd Borrow(int fd) => new(fd, owned: false);

        /// <summary>Opens what is pinned at <paramref name="path"/>.</summary>
        internal static BpfFd OpenPinned(string path)
        {
            int fd = Libbpf.bpf_obj_get(path);
            if (fd < 0)
                throw Errno.Exception(Errno.FromResult(fd), BpfErrorKind.NotFound, $"Opening the pinned BPF object {path} failed");
            return Own(fd);
        }

        /// <summary>Pins the object at <paramref name="path"/> in bpffs, where any process can open it.</summary>
        internal void Pin(string path)
        {
            int rc = Libbpf.bpf_obj_pin(Value, path);
            if (rc != 0)
                throw Errno.Exception(Errno.FromResult(rc), BpfErrorKind.BpfFsUnavailable, $"Pinning at {path} failed");
        }

        /// <summary>bpf_obj_get_info_by_fd into a prefix of struct bpf_{prog,map,link}_info.</summary>
        internal unsafe T Info<T>() where T : unmanaged
        {
            T info = default;
            uint length = (uint)sizeof(T);
            int rc = Libbpf.bpf_obj_get_info_by_fd(Value, &info, &length);
            if (rc != 0)
                throw Errno.Exception(Errno.FromResult(rc), BpfErrorKind.ReadFailed, $"Reading the information of BPF object fd {Value} failed");
            return info;
        }

        public void Dispose() => _handle.Dispose();
    }
}
