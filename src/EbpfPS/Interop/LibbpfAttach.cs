using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>Imports of libbpf.so.1 for the programs that attach to a target the user names (a cgroup, an
    /// interface, a map) rather than where their section says, and for the program and link facts that decide how.</summary>
    internal static unsafe partial class Libbpf
    {
        [LibraryImport(Library)] internal static partial uint bpf_program__type(nint program);
        [LibraryImport(Library)] internal static partial uint bpf_program__expected_attach_type(nint program);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_program__set_type(nint program, uint type);
        [LibraryImport(Library)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool bpf_program__autoload(nint program);

        /// <summary>A bpf_link on the cgroup behind <paramref name="cgroupFd"/>, at the program's expected attach type.</summary>
        [LibraryImport(Library, SetLastError = true)] internal static partial nint bpf_program__attach_cgroup(nint program, int cgroupFd);
        [LibraryImport(Library, SetLastError = true)] internal static partial nint bpf_program__attach_xdp(nint program, int ifindex);

        [LibraryImport(Library)] internal static partial int bpf_link__fd(nint link);
        /// <summary>Closing the link afterwards leaves it attached: what a pinned link needs.</summary>
        [LibraryImport(Library)] internal static partial void bpf_link__disconnect(nint link);

        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_program__set_expected_attach_type(nint program, uint type);

        // enum bpf_attach_type values that libbpf 1.1 has no API for
        internal const uint BPF_TCX_INGRESS = 46, BPF_TCX_EGRESS = 47;

        // enum bpf_attach_type of the programs attached to a sockmap or sockhash
        internal const uint BPF_SK_SKB_STREAM_PARSER = 4, BPF_SK_SKB_STREAM_VERDICT = 5, BPF_SK_MSG_VERDICT = 7, BPF_SK_SKB_VERDICT = 38;

        /// <summary>Attaches a program to a sockmap or sockhash (<paramref name="targetFd"/>): no link, the map holds the program.</summary>
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_prog_attach(int programFd, int targetFd, uint attachType, uint flags);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_prog_detach2(int programFd, int targetFd, uint attachType);

        // tc filters on a clsact qdisc, made over netlink: where there is no tcx
        internal const uint BPF_TC_INGRESS = 1, BPF_TC_EGRESS = 2;
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_tc_hook_create(BpfTcHook* hook);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_tc_attach(BpfTcHook* hook, BpfTcOptions* options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_tc_detach(BpfTcHook* hook, BpfTcOptions* options);
        [LibraryImport(Library, SetLastError = true)] internal static partial int bpf_tc_query(BpfTcHook* hook, BpfTcOptions* options);
    }

    /// <summary>struct bpf_tc_hook (libbpf 0.4+): an interface's ingress or egress of its clsact qdisc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfTcHook
    {
        public nuint Size;
        public int Ifindex;
        public uint AttachPoint;
        public uint Parent;
        private readonly uint _pad;
    }

    /// <summary>struct bpf_tc_opts: which filter (handle, priority), and of which program.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfTcOptions
    {
        public nuint Size;
        public int ProgramFd;
        public uint Flags;
        public uint ProgramId;
        public uint Handle;
        public uint Priority;
        private readonly uint _pad;
    }
}
