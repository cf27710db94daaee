using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>Names of the kernel's program, map, link and attach types as bpftool prints them: libbpf's own
    /// names, then the types newer than libbpf 1.1 knows, then "unknown (N)".</summary>
    internal static class BpfTypeNames
    {
        private static readonly Dictionary<uint, string> NewerProgramTypes = new() { [32] = "netfilter" };
        private static readonly Dictionary<uint, string> NewerMapTypes = new() { [33] = "arena" };
        private static readonly Dictionary<uint, string> NewerAttachTypes = new()
        {
            [46] = "tcx_ingress", [47] = "tcx_egress", [48] = "trace_uprobe_multi", [49] = "cgroup_unix_connect",
            [50] = "cgroup_unix_sendmsg", [51] = "cgroup_unix_recvmsg", [52] = "cgroup_unix_getpeername",
            [53] = "cgroup_unix_getsockname", [54] = "netkit_primary", [55] = "netkit_peer",
        };
        private static readonly Dictionary<uint, string> NewerLinkTypes = new()
        {
            [10] = "netfilter", [11] = "tcx", [12] = "uprobe_multi", [13] = "netkit", [14] = "sockmap",
        };

        internal static string Program(uint type) => Name(Libbpf.libbpf_bpf_prog_type_str(type), type, NewerProgramTypes);
        internal static string Map(uint type) => Name(Libbpf.libbpf_bpf_map_type_str(type), type, NewerMapTypes);
        internal static string Link(uint type) => Name(Libbpf.libbpf_bpf_link_type_str(type), type, NewerLinkTypes);
        internal static string Attach(uint type) => Name(Libbpf.libbpf_bpf_attach_type_str(type), type, NewerAttachTypes);

        /// <summary>Every program type this module can name, with its number (0, unspec, left out).</summary>
        internal static IEnumerable<(uint Type, string Name)> ProgramTypes() => Known(Libbpf.libbpf_bpf_prog_type_str, NewerProgramTypes);
        internal static IEnumerable<(uint Type, string Name)> MapTypes() => Known(Libbpf.libbpf_bpf_map_type_str, NewerMapTypes);
        internal static IEnumerable<(uint Type, string Name)> LinkTypes() => Known(Libbpf.libbpf_bpf_link_type_str, NewerLinkTypes);

        private static IEnumerable<(uint, string)> Known(Func<uint, nint> libbpfName, Dictionary<uint, string> newer)
        {
            uint type = 1;
            for (; libbpfName(type) is var name && name != 0; type++) yield return (type, Marshal.PtrToStringUTF8(name)!);
            for (; newer.TryGetValue(type, out var name); type++) yield return (type, name);
        }

        private static string Name(nint libbpfName, uint type, Dictionary<uint, string> newer) =>
            libbpfName != 0 ? Marshal.PtrToStringUTF8(libbpfName)! : newer.TryGetValue(type, out var name) ? name : $"unknown ({type})";

        private static readonly string[] MapFlags =
        {
            "no_prealloc", "no_common_lru", "numa_node", "rdonly", "wronly", "stack_build_id", "zero_seed", "rdonly_prog",
            "wronly_prog", "clone", "mmapable", "preserve_elems", "inner_map", "link", "path_fd", "vtype_btf_obj_fd",
            "token_fd", "segv_on_fault", "no_user_conv",
        };

        /// <summary>The BPF_F_* map flags set in <paramref name="flags"/>, lower case without the prefix.</summary>
        internal static string[] MapFlagNames(uint flags)
        {
            var names = new List<string>();
            for (int bit = 0; bit < 32; bit++)
                if ((flags & (1u << bit)) != 0) names.Add(bit < MapFlags.Length ? MapFlags[bit] : $"0x{1u << bit:x}");
            return names.ToArray();
        }
    }
}
