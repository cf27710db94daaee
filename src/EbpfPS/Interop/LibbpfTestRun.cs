using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>BPF_PROG_TEST_RUN: runs a loaded program on a given packet without attaching it (tests),
    /// or sends the frames it returns with XDP_TX/XDP_REDIRECT (a traffic generator: live frames).</summary>
    internal static unsafe partial class Libbpf
    {
        internal const uint BPF_F_TEST_XDP_LIVE_FRAMES = 1 << 1;

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int bpf_prog_test_run_opts(int programFd, BpfTestRunOptions* options);
    }

    /// <summary>struct bpf_test_run_opts (libbpf 1.0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct BpfTestRunOptions
    {
        public nuint Size;
        public void* DataIn;
        public void* DataOut;
        public uint DataSizeIn;
        public uint DataSizeOut;
        public void* ContextIn;
        public void* ContextOut;
        public uint ContextSizeIn;
        public uint ContextSizeOut;
        public uint ReturnValue;
        public int Repeat;
        public uint DurationNs;
        public uint Flags;
        public uint Cpu;
        public uint BatchSize;
    }
}
