using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>struct bpf_prog_info (uapi linux/bpf.h) up to attach_btf_id; the kernel fills what it knows
    /// of the length we pass. Checked against the kernel's BTF by a drift test.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct NativeProgramInfo
    {
        public uint Type;
        public uint Id;
        public fixed byte Tag[8];
        public uint JitedProgramLength;
        public uint TranslatedProgramLength;
        public ulong JitedProgramInstructions;
        public ulong TranslatedProgramInstructions;
        public ulong LoadTime; // ns since boot
        public uint CreatedByUid;
        public uint MapIdCount;
        public ulong MapIds; // pointer to uint[MapIdCount]
        public fixed byte Name[16];
        public uint InterfaceIndex;
        public uint Flags; // bit 0: gpl_compatible
        public ulong NetnsDevice;
        public ulong NetnsInode;
        public uint JitedKsymCount;
        public uint JitedFunctionLengthCount;
        public ulong JitedKsyms;
        public ulong JitedFunctionLengths;
        public uint BtfId;
        public uint FunctionInfoRecordSize;
        public ulong FunctionInfo;
        public uint FunctionInfoCount;
        public uint LineInfoCount;
        public ulong LineInfo;
        public ulong JitedLineInfo;
        public uint JitedLineInfoCount;
        public uint LineInfoRecordSize;
        public uint JitedLineInfoRecordSize;
        public uint ProgramTagCount;
        public ulong ProgramTags;
        public ulong RunTimeNs;
        public ulong RunCount;
        public ulong RecursionMisses;
        public uint VerifiedInstructions;
        public uint AttachBtfObjectId;
        public uint AttachBtfId;
    }

    /// <summary>struct bpf_map_info (uapi linux/bpf.h) up to map_extra.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct NativeMapInfo
    {
        public uint Type;
        public uint Id;
        public uint KeySize;
        public uint ValueSize;
        public uint MaxEntries;
        public uint MapFlags;
        public fixed byte Name[16];
        public uint InterfaceIndex;
        public uint BtfVmlinuxValueTypeId;
        public ulong NetnsDevice;
        public ulong NetnsInode;
        public uint BtfId;
        public uint BtfKeyTypeId;
        public uint BtfValueTypeId;
        public uint BtfVmlinuxId;
        public ulong MapExtra;
    }

    /// <summary>struct bpf_link_info (uapi linux/bpf.h): type, id and program, then a union whose layout
    /// depends on the type (read by Introspection/LinkInfoReader).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct NativeLinkInfo
    {
        public uint Type;
        public uint Id;
        public uint ProgramId;
        public uint Padding;
        public fixed byte Union[80];
    }
}
