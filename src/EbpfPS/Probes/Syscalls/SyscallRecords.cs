using System.Runtime.InteropServices;

namespace EbpfPS.Probes.Syscalls
{
    // Mirrors of bpf/syscall.h. A test compares them with the BTF of the compiled object.

    [StructLayout(LayoutKind.Sequential)]
    internal struct SyscallSpec
    {
        public uint ArgCount;
        public int StringArg;
        public uint EnterId;
        public int BufferArg;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct SyscallRecord
    {
        internal const int MaxArgs = 6, CommLength = 16, DataLength = 256, NumberLimit = 1024;

        public ulong EnterNs;
        public ulong ExitNs;
        public uint Pid;
        public uint Tid;
        public uint Cpu;
        public uint EnterId;
        public long Ret;
        public uint DataLen;
        public uint ArgCount;
        public fixed byte Comm[CommLength];
        public fixed ulong Args[MaxArgs];
        public fixed byte Data[DataLength];
    }
}
