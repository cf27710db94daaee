using System.Runtime.InteropServices;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>Mirror of struct kfunc_record of bpf/kfunc.h (checked against the object's BTF by a test).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct KernelFunctionRecord
    {
        internal const int MaxArgs = 6, CommLength = 16;
        internal const uint Return = 2;

        public ulong TimestampNs;
        public ulong DurationNs;
        public uint Pid;
        public uint Tid;
        public uint Cpu;
        public uint Kind;
        public fixed ulong Args[MaxArgs];
        public long Ret;
        public fixed byte Comm[CommLength];
    }
}
