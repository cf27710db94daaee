using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>A file descriptor of a BPF object (from *_get_fd_by_id, bpf_obj_get, a probe's load):
    /// closing it drops this process's reference, and the kernel frees an object nobody holds.
    /// A borrowed one (the fd of a map that a loaded BpfObject owns) is never closed here.</summary>
    internal sealed class FileDescriptorHandle : SafeHandle
    {
        public FileDescriptorHandle() : base(new IntPtr(-1), ownsHandle: true) { }

        internal FileDescriptorHandle(int fd, bool ownsHandle = true) : base(new IntPtr(-1), ownsHandle) => SetHandle(fd);

        internal int Fd => (int)handle;

        public override bool IsInvalid => (int)handle < 0;

        protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
    }
}
