using System.Runtime.InteropServices;

namespace EbpfPS.Xdp
{
    // Mirrors of bpf/xdp_filter.h. A test compares them with the BTF of the compiled object.

    internal static class XdpLimits
    {
        internal const int MaxRules = 256, MaskWords = MaxRules / 64, Generations = 2, Protocols = 256;
    }

    internal enum XdpDirection : byte { Source = 0, Destination = 1 }

    [System.Flags]
    internal enum XdpLookups : uint { Source = 1, Destination = 2, SourcePort = 4, DestinationPort = 8 }

    [System.Flags]
    internal enum XdpRuleFlags : byte { Protocol = 1, SourcePort = 2, DestinationPort = 4 }

    internal enum XdpTotal : uint { Passed = 0, Dropped = 1, Malformed = 2, NonIp = 3 }

    /// <summary>struct xdp_rule_mask: bit i stands for the rule of priority i.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct XdpRuleMask
    {
        public fixed ulong Words[XdpLimits.MaskWords];

        internal void Set(int bit) => Words[bit / 64] |= 1UL << (bit % 64);

        internal readonly bool IsSet(int bit) => (Words[bit / 64] & (1UL << (bit % 64))) != 0;
    }

    /// <summary>struct xdp_filter_table; by_priority holds struct xdp_filter_verdict {u16 slot; u16 action}.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct XdpFilterTable
    {
        public fixed ulong Family[2 * XdpLimits.MaskWords];
        public XdpRuleMask AnySourcePort;
        public XdpRuleMask AnyDestinationPort;
        public XdpLookups Lookups;
        public uint RuleCount;
        public fixed uint ByPriority[XdpLimits.MaxRules];

        internal void SetFamily(int index, int bit) => Family[index * XdpLimits.MaskWords + bit / 64] |= 1UL << (bit % 64);

        internal void SetVerdict(int priority, int slot, XdpAction action) => ByPriority[priority] = (uint)slot | ((uint)action << 16);
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct XdpFilterState
    {
        public uint Generation;
        public uint NextRuleId;
        public uint Ifindex;
        public uint XdpFlags;
        public ulong NetnsInode;
        public long AttachedUnixMs;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct XdpPrefixKey
    {
        public uint Prefixlen;
        public byte Generation;
        public XdpDirection Direction;
        public byte Family;
        public byte Reserved;
        public fixed byte Address[16];
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct XdpPortKey
    {
        public byte Generation;
        public XdpDirection Direction;
        public ushort Port;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct XdpCounter
    {
        public ulong Packets;
        public ulong Bytes;
    }

    /// <summary>struct xdp_filter_rule: a rule as stored for other processes; Id 0 marks a free slot.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct XdpFilterRule
    {
        public uint Id;
        public byte Action;
        public XdpRuleFlags Flags;
        public byte Protocol;
        public byte SourceFamily;
        public byte DestinationFamily;
        public byte SourcePrefixlen;
        public byte DestinationPrefixlen;
        public byte Reserved;
        public ushort SourcePort;
        public ushort DestinationPort;
        public fixed byte Source[16];
        public fixed byte Destination[16];
        public long AddedUnixMs;
    }
}
