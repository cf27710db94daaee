using System.Runtime.InteropServices;

namespace EbpfPS.Probes.Tracepoints
{
    // Mirrors of bpf/tracepoint.h. A test compares them with the BTF of the compiled object.

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct TracepointLayout
    {
        internal const int MaxDataLocs = 8;

        public uint FixedSize;
        public uint DataLocCount;
        public fixed ushort DataLocOffsets[MaxDataLocs];
    }

    /// <summary>The header of struct tracepoint_record; the raw record (data) follows it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct TracepointRecordHeader
    {
        internal const int CommLength = 16;
        internal const ushort Truncated = 1;

        public ulong TimestampNs;
        public uint Pid;
        public uint Tid;
        public uint Cpu;
        public ushort Size;
        public ushort Flags;
        public uint EventId;
        public uint Reserved;
        public fixed byte Comm[CommLength];
    }
}
