using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>Imports of libbpf.so.1 for objects by file descriptor: pins, links, XDP attachment, info.
    /// All return a negative errno (and set errno) on failure.</summary>
    internal static unsafe partial class Libbpf
    {
        internal const int BPF_XDP = 37;

        // Pins in bpffs
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_obj_pin(int fd, string path);
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_obj_get(string path);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_obj_get_info_by_fd(int fd, void* info, uint* length);

        // Links
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_link_create(int programFd, int targetFd, int attachType, BpfLinkCreateOptions* options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_detach(int linkFd);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_get_next_id(uint startId, uint* nextId);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_get_fd_by_id(uint id);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_prog_get_fd_by_id(uint id);

        // XDP attachments made through netlink (ip link, xdp-loader)
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_xdp_query(int ifindex, int flags, BpfXdpQueryOptions* options);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_xdp_detach(int ifindex, uint flags, nint options);

        // Map elements by fd
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_map_delete_elem(int fd, void* key);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_map_get_next_key(int fd, void* key, void* nextKey);
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

    /// <summary>struct bpf_prog_info up to name (the kernel fills what fits).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct BpfProgramInfo
    {
        public uint Type;
        public uint Id;
        public fixed byte Tag[8];
        public uint JitedProgramLength;
        public uint TranslatedProgramLength;
        public ulong JitedProgramInstructions;
        public ulong TranslatedProgramInstructions;
        public ulong LoadTimeNs; // CLOCK_BOOTTIME
        public uint CreatedByUid;
        public uint MapIdCount;
        public ulong MapIds;
        public fixed byte Name[16];
    }

    /// <summary>struct bpf_link_info with the xdp member of its union.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfLinkInfo
    {
        public uint Type;
        public uint Id;
        public uint ProgramId;
        public uint Padding;
        public uint XdpIfindex; // 0 once the interface is gone
        public uint Padding2;
    }
}
