using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>bpf_obj_get_info_by_fd, the one call behind program, map and link details.</summary>
    internal static unsafe class ObjectInfo
    {
        /// <summary>Fills <paramref name="info"/> (the kernel writes what it knows of its length).</summary>
        internal static void Get<T>(int fd, ref T info, string what) where T : unmanaged
        {
            uint length = (uint)sizeof(T);
            fixed (T* p = &info)
            {
                int rc = Libbpf.bpf_obj_get_info_by_fd(fd, p, &length);
                if (rc != 0) throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.ReadFailed, $"Reading the details of {what} failed");
            }
        }

        /// <summary>The id of any BPF object fd (every info struct starts with type, id); 0 on failure.</summary>
        internal static uint IdOf(int fd)
        {
            var header = stackalloc uint[2];
            uint length = 8;
            return Libbpf.bpf_obj_get_info_by_fd(fd, header, &length) == 0 ? header[1] : 0;
        }
    }
}
