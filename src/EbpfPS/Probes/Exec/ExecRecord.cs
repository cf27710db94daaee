using System.Runtime.InteropServices;

namespace EbpfPS.Probes.Exec
{
    /// <summary>Mirror of struct exec_record of bpf/exec.h (checked against the object's BTF by a test).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ExecRecord
    {
        internal const int CommLength = 16, FilenameLength = 256, ArgsCapacity = 32 * 256;
        internal const uint ArgsTruncated = 1;

        public ulong EnterNs;
        public ulong ExitNs;
        public uint Pid;
        public uint Tid;
        public uint Ppid;
        public uint Uid;
        public int Ret;
        public uint Flags;
        public uint ArgsCount;
        public uint ArgsSize;
        public fixed byte Comm[CommLength];
        public fixed byte ParentComm[CommLength];
        public fixed byte Filename[FilenameLength];
        public fixed byte Args[ArgsCapacity];
    }
}
