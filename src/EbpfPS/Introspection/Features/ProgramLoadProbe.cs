using EbpfPS.Interop;

namespace EbpfPS.Introspection.Features
{
    /// <summary>Loads the smallest program there is ("r0 = 0; exit") with the given type and attach target,
    /// which tells more truthfully than any version number whether the kernel takes it.</summary>
    internal static unsafe class ProgramLoadProbe
    {
        // enum bpf_prog_type and bpf_attach_type values the probes use
        internal const uint SocketFilter = 1, Tracepoint = 5, Xdp = 6, Tracing = 26, Lsm = 29;
        internal const uint TraceRawTracepoint = 23, TraceFentry = 24, LsmMac = 27;

        /// <summary>The fd of the loaded program (the caller disposes it), or the errno of the refusal. With
        /// <paramref name="mapFd"/>, the program first loads that map's address ("r1 = map"), which is when the
        /// verifier checks that the program type may use it.</summary>
        internal static (FileDescriptorHandle? Program, int Errno) Load(uint programType, uint expectedAttachType = 0, uint attachBtfId = 0, int mapFd = -1)
        {
            // ld_imm64 r1 with BPF_PSEUDO_MAP_FD (src 1) takes two slots; then r0 = 0; exit.
            ulong* instructions = stackalloc ulong[4] { 0x18 | 0x11 << 8 | (ulong)(uint)mapFd << 32, 0, 0x0000_0000_0000_00b7UL, 0x0000_0000_0000_0095UL };
            int skip = mapFd >= 0 ? 0 : 2;
            var options = new BpfProgramLoadOptions
            {
                Size = (nuint)sizeof(BpfProgramLoadOptions),
                ExpectedAttachType = expectedAttachType,
                AttachBtfId = attachBtfId,
            };
            int fd = Libbpf.bpf_prog_load(programType, "ebpfps_probe", "GPL", instructions + skip, (nuint)(4 - skip), &options);
            return fd >= 0 ? (new FileDescriptorHandle(fd), 0) : (null, Errno.FromResult(fd));
        }
    }
}
