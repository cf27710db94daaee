using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>libbpf's BTF loading (btf.h): the kernel's own and the BTF objects that maps and programs carry.</summary>
    internal static unsafe partial class Libbpf
    {
        [LibraryImport(Library, SetLastError = true)] internal static partial nint btf__load_from_kernel_by_id(uint id);
        [LibraryImport(Library)] internal static partial void* btf__raw_data(nint btf, uint* size);
        [LibraryImport(Library)] internal static partial void btf__free(nint btf);
        [LibraryImport(Library, SetLastError = true)] internal static partial nint btf__load_vmlinux_btf();
        [LibraryImport(Library)] internal static partial int btf__find_by_name_kind(nint btf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint kind);
    }
}
