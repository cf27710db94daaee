using EbpfPS.Interop;

namespace EbpfPS.Core.Features
{
    /// <summary>Loads the smallest program there is ("r0 = 0; exit") with the given type and attach target,
    /// which tells more truthfully than any version number whether the kernel takes it.</summary>
    internal static unsafe class ProgramLoadProbe
    {
        // enum bpf_prog_type and bpf_attach_type values the probes use
        internal const uint SocketFilter = 1, Xdp = 6, Tracing = 26, Lsm = 29;
        internal const uint TraceRawTracepoint = 23, TraceFentry = 24, LsmMac = 27;

        /// <summary>The fd of the loaded program (the caller disposes it), or the errno of the refusal.</summary>
        internal static (FileDescriptorHandle? Program, int Errno) Load(uint programType, uint expectedAttachType = 0, uint attachBtfId = 0)
        {
            ulong* instructions = stackalloc ulong[2] { 0x0000_0000_0000_00b7UL, 0x0000_0000_0000_0095UL };
            var options = new BpfProgramLoadOptions
            {
                Size = (nuint)sizeof(BpfProgramLoadOptions),
                ExpectedAttachType = expectedAttachType,
                AttachBtfId = attachBtfId,
            };
            int fd = Libbpf.bpf_prog_load(programType, "ebpfps_probe", "GPL", instructions, 2, &options);
            return fd >= 0 ? (new FileDescriptorHandle(fd), 0) : (null, Errno.FromResult(fd));
        }
    }
}
