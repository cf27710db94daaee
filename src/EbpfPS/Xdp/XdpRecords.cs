namespace EbpfPS.Xdp
{
    /// <summary>The sizes of the filter's tables, as bpf/xdp_filter.h makes its maps.</summary>
    internal static class XdpLimits
    {
        internal const int MaxRules = (int)Bpf.XdpFilterSkeleton.XdpfRulesMaxEntries;
        internal const int Generations = (int)Bpf.XdpFilterSkeleton.XdpfTablesMaxEntries;
        /// <summary>IP protocol numbers: the protocol map holds a mask for each, per generation.</summary>
        internal const int Protocols = (int)Bpf.XdpFilterSkeleton.XdpfProtocolsMaxEntries / Generations;
    }
}

namespace EbpfPS.Bpf
{
    /// <summary>struct xdp_rule_mask: bit i stands for the rule of priority i.</summary>
    internal unsafe partial struct XdpRuleMask
    {
        internal void Set(int bit) => Words[bit / 64] |= 1UL << (bit % 64);

        internal readonly bool IsSet(int bit) => (Words[bit / 64] & (1UL << (bit % 64))) != 0;
    }

    internal partial struct XdpFilterTable
    {
        internal void SetFamily(int index, int bit) => Family[index].Set(bit);

        internal void SetVerdict(int priority, int slot, XdpAction action) =>
            ByPriority[priority] = new XdpFilterVerdict { Slot = (ushort)slot, Action = (ushort)action };
    }
}
