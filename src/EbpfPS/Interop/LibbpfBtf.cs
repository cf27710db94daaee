using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>libbpf's BTF loading (btf.h): the kernel's own and the BTF objects that maps and programs carry.</summary>
    internal static unsafe partial class Libbpf
    {
        [LibraryImport(Library, SetLastError = true)] internal static partial nint btf__load_from_kernel_by_id(uint id);
        [LibraryImport(Library)] internal static partial void* btf__raw_data(nint btf, uint* size);
    }
}
