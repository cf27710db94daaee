using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>Raw imports of libbpf.so.1 (1.0 or newer: NULL or -errno on failure, errno set).
    /// Called by the engine (Core, and Introspection and Xdp for the syscalls Core has no object for), which
    /// checks every result; the cmdlets never call them. Nothing here is public.</summary>
    internal static unsafe partial class Libbpf
    {
        internal const string Library = "libbpf.so.1";

        [LibraryImport(Library)] internal static partial uint libbpf_major_version();
        [LibraryImport(Library)] internal static partial uint libbpf_minor_version();
        [LibraryImport(Library)] internal static partial nint libbpf_set_print(nint fn);
        [LibraryImport(Library)] internal static partial int libbpf_num_possible_cpus();

        // bpf_object
        [LibraryImport(Library, SetLastError = true)]
        internal static partial nint bpf_object__open_mem(byte* buffer, nuint size, BpfObjectOpenOptions* options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_object__load(BpfObjectHandle obj);
        [LibraryImport(Library)] internal static partial void bpf_object__close(nint obj);
        [LibraryImport(Library)] internal static partial nint bpf_object__btf(BpfObjectHandle obj);
        [LibraryImport(Library)] internal static partial nint bpf_object__next_program(BpfObjectHandle obj, nint previous);
        [LibraryImport(Library)] internal static partial nint bpf_object__next_map(BpfObjectHandle obj, nint previous);
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint bpf_object__find_map_by_name(BpfObjectHandle obj, string name);
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint bpf_object__find_program_by_name(BpfObjectHandle obj, string name);

        // bpf_program
        [LibraryImport(Library)] internal static partial nint bpf_program__name(nint program);
        [LibraryImport(Library)] internal static partial nint bpf_program__section_name(nint program);
        [LibraryImport(Library)] internal static partial int bpf_program__fd(nint program);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_program__set_autoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);
        [LibraryImport(Library, SetLastError = true)] internal static partial nint bpf_program__attach(nint program);
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint bpf_program__attach_tracepoint_opts(nint program, string category, string name, TracepointOptions* options);

        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int bpf_program__set_attach_target(nint program, int attachProgramFd, string function);
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint bpf_program__attach_kprobe(nint program, [MarshalAs(UnmanagedType.U1)] bool returnProbe, string function);
        [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint bpf_program__attach_uprobe_opts(nint program, int pid, string binaryPath, nuint functionOffset, UprobeOptions* options);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial nint bpf_program__attach_perf_event(nint program, int perfEventFd);

        // bpf_link
        [LibraryImport(Library)] internal static partial int bpf_link__destroy(nint link);

        // bpf_map
        [LibraryImport(Library)] internal static partial nint bpf_map__name(nint map);
        [LibraryImport(Library)] internal static partial int bpf_map__fd(nint map);
        [LibraryImport(Library)] internal static partial int bpf_map__type(nint map);
        [LibraryImport(Library)] internal static partial uint bpf_map__max_entries(nint map);
        [LibraryImport(Library)] internal static partial uint bpf_map__key_size(nint map);
        [LibraryImport(Library)] internal static partial uint bpf_map__value_size(nint map);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_map__set_max_entries(nint map, uint maxEntries);
        [LibraryImport(Library)] internal static partial uint bpf_map__map_flags(nint map);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_map__set_map_flags(nint map, uint flags);
        [LibraryImport(Library)] internal static partial int bpf_map__set_autocreate(nint map, [MarshalAs(UnmanagedType.U1)] bool autocreate);
        [LibraryImport(Library)] internal static partial void* bpf_map__initial_value(nint map, nuint* size);
        /// <summary>Where the map is (or will be) pinned: set at open for __uint(pinning, LIBBPF_PIN_BY_NAME); null otherwise.</summary>
        [LibraryImport(Library)] internal static partial nint bpf_map__pin_path(nint map);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_map__set_initial_value(nint map, void* data, nuint size);

        // Map elements by fd (bpf.h)
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);
        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_map_lookup_elem(int fd, void* key, void* value);

        // BTF

        // Perf buffer (kernels before 5.8, and user objects that use one)
        /// <summary>A perf buffer with our own perf_event_attr (to batch wake-ups); events come as perf records.</summary>
        [LibraryImport(Library, SetLastError = true)]
        internal static partial nint perf_buffer__new_raw(int mapFd, nuint pageCount, void* perfEventAttr,
            delegate* unmanaged<nint, int, void*, int> onEvent, nint context, nint options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int perf_buffer__poll(PerfBufferHandle perfBuffer, int timeoutMs);
        [LibraryImport(Library, SetLastError = true)] internal static partial int perf_buffer__consume(PerfBufferHandle perfBuffer);
        [LibraryImport(Library)] internal static partial void perf_buffer__free(nint perfBuffer);
        [LibraryImport(Library)] internal static partial int perf_buffer__epoll_fd(PerfBufferHandle perfBuffer);
    }

    /// <summary>struct bpf_object_open_opts, up to the fields we set (sz tells libbpf where we stop).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct BpfObjectOpenOptions
    {
        public nuint Size;
        public byte* ObjectName;
        public bool RelaxedMaps;
        public byte* PinRootPath;
        public uint Unused; // removed attach_prog_fd
        public byte* Kconfig;
        public byte* BtfCustomPath;
    }

    /// <summary>struct bpf_tracepoint_opts: the cookie a program reads with bpf_get_attach_cookie().</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TracepointOptions
    {
        public nuint Size;
        public ulong Cookie;
    }

    /// <summary>struct bpf_uprobe_opts of libbpf 1.1 (ref_ctr_offset for USDT semaphores; func_name left null: the
    /// module resolves symbols itself and passes the offset).</summary>
    internal struct UprobeOptions
    {
        public nuint Size;
        public nuint ReferenceCounterOffset;
        public ulong Cookie;
        public byte ReturnProbe;
        public nint FunctionName;
    }
}
