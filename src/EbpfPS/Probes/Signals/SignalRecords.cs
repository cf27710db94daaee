using System.Runtime.InteropServices;

namespace EbpfPS.Probes.Signals
{
    // Mirrors of bpf/signal.h. A test compares them with the BTF of the compiled object.

    internal enum SignalRecordKind : uint
    {
        Generate = 1,
        Deliver = 2,
        Exit = 3,
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct SignalGenerateRecord
    {
        internal const int CommLength = 16, CmdlineLength = 256;

        public ulong TimestampNs;
        public SignalRecordKind Kind;
        public uint Cpu;
        public int Sig;
        public int Result;
        public int Code;
        public int Group;
        public uint SenderPid;
        public uint SenderTid;
        public uint SenderUid;
        public uint TargetPid;
        public uint TargetTid;
        public uint CmdlineLen;
        public ulong Value;
        public fixed byte SenderComm[CommLength];
        public fixed byte TargetComm[CommLength];
        public fixed byte SenderCmdline[CmdlineLength];
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct SignalTargetRecord
    {
        public ulong TimestampNs;
        public SignalRecordKind Kind;
        public uint Cpu;
        public uint TargetPid;
        public uint TargetTid;
        public int Sig;
        public uint Reserved;
    }
}
