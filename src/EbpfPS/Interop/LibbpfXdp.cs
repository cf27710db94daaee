using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>Imports of libbpf.so.1 for pinning and for XDP attachments (the rest of the by-fd calls are in
    /// LibbpfSyscalls). All return a negative errno (and set errno) on failure.</summary>
    internal static unsafe partial class Libbpf
    {
        internal const uint BPF_XDP = 37, BPF_LINK_TYPE_XDP = 6;

        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_obj_pin(int fd, string path);

        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_detach(int linkFd);

        // XDP attachments made through netlink (ip link, xdp-loader)
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_xdp_query(int ifindex, int flags, BpfXdpQueryOptions* options);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_xdp_detach(int ifindex, uint flags, nint options);
    }

    /// <summary>XDP_FLAGS_* of if_link.h.</summary>
    internal static class XdpFlags
    {
        internal const uint UpdateIfNoExist = 1, SkbMode = 2, DriverMode = 4, HardwareMode = 8;
    }

    /// <summary>struct bpf_link_create_opts up to flags.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfLinkCreateOptions
    {
        public nuint Size;
        public uint Flags;
        public uint Padding;
    }

    /// <summary>struct bpf_xdp_query_opts (libbpf 1.0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfXdpQueryOptions
    {
        public nuint Size;
        public uint ProgramId;
        public uint DriverProgramId;
        public uint HardwareProgramId;
        public uint SkbProgramId;
        public byte AttachMode;
        private readonly byte _pad0, _pad1, _pad2;
        private readonly uint _pad3;
    }
}
