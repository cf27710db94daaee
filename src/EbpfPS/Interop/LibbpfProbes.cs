using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>libbpf's feature probes and the names it gives kernel enums (libbpf.h, 1.0+).</summary>
    internal static unsafe partial class Libbpf
    {
        /// <summary>1 supported, 0 not, negative errno when libbpf cannot tell.</summary>
        [LibraryImport(Library)] internal static partial int libbpf_probe_bpf_prog_type(uint programType, nint options);
        [LibraryImport(Library)] internal static partial int libbpf_probe_bpf_map_type(uint mapType, nint options);
        [LibraryImport(Library)] internal static partial int libbpf_probe_bpf_helper(uint programType, uint helperId, nint options);

        [LibraryImport(Library)] internal static partial nint libbpf_bpf_prog_type_str(uint programType);
        [LibraryImport(Library)] internal static partial nint libbpf_bpf_map_type_str(uint mapType);
        [LibraryImport(Library)] internal static partial nint libbpf_bpf_link_type_str(uint linkType);
        [LibraryImport(Library)] internal static partial nint libbpf_bpf_attach_type_str(uint attachType);
    }
}
