using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>libbpf's thin wrappers of the bpf(2) commands that work on any object by id, fd or pinned
    /// path (bpf.h): how EbpfPS sees what others loaded. All return a negative errno on failure.</summary>
    internal static unsafe partial class Libbpf
    {
        // Every object of a kind, by id
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_prog_get_next_id(uint startId, uint* nextId);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_map_get_next_id(uint startId, uint* nextId);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_get_next_id(uint startId, uint* nextId);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_prog_get_fd_by_id(uint id);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_map_get_fd_by_id(uint id);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_get_fd_by_id(uint id);

        /// <summary>Fills bpf_prog_info, bpf_map_info or bpf_link_info, whichever the fd is.</summary>
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_obj_get_info_by_fd(int fd, void* info, uint* infoLength);

        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_obj_get(string path);

        // Map elements
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_map_get_next_key(int fd, void* key, void* nextKey);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_map_delete_elem(int fd, void* key);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_map_lookup_batch(int fd, void* inBatch, void* outBatch, void* keys, void* values, uint* count, void* options);

        // Creating a map or loading raw instructions: what feature probes need
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_map_create(uint mapType, string? name, uint keySize, uint valueSize, uint maxEntries, BpfMapCreateOptions* options);
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_prog_load(uint programType, string? name, string license, void* instructions, nuint count, BpfProgramLoadOptions* options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_link_create(int programFd, int targetFd, uint attachType, void* options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_raw_tracepoint_open(nint name, int programFd);
    }

    /// <summary>struct bpf_map_create_opts of libbpf 1.x, up to map_flags (sz tells libbpf where we stop).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfMapCreateOptions
    {
        public nuint Size;
        public uint BtfFd;
        public uint BtfKeyTypeId;
        public uint BtfValueTypeId;
        public uint BtfVmlinuxValueTypeId;
        public uint InnerMapFd;
        public uint MapFlags;
    }

    /// <summary>struct bpf_prog_load_opts of libbpf 1.x, up to attach_prog_fd (sz tells libbpf where we stop).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfProgramLoadOptions
    {
        public nuint Size;
        public int Attempts;
        public uint ExpectedAttachType;
        public uint ProgramBtfFd;
        public uint ProgramFlags;
        public uint ProgramInterfaceIndex;
        public uint KernelVersion;
        public uint AttachBtfId;
        public uint AttachBtfObjectFd;
        public int AttachProgramFd;
    }
}
