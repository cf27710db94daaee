using System;
using EbpfPS.Xdp;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Drift: the map keys and values of bpf/xdp_filter.h against their C# mirrors (see RecordLayoutTests).</summary>
    public class XdpRecordLayoutTests
    {
        [Theory]
        [InlineData("xdp_rule_mask", typeof(XdpRuleMask))]
        [InlineData("xdp_filter_table", typeof(XdpFilterTable))]
        [InlineData("xdp_filter_state", typeof(XdpFilterState))]
        [InlineData("xdp_prefix_key", typeof(XdpPrefixKey))]
        [InlineData("xdp_port_key", typeof(XdpPortKey))]
        [InlineData("xdp_counter", typeof(XdpCounter))]
        [InlineData("xdp_filter_rule", typeof(XdpFilterRule))]
        public void Csharp_mirror_matches_the_btf_of_the_object(string structName, Type mirror) =>
            new RecordLayoutTests().Csharp_mirror_matches_the_btf_of_the_object(XdpFilter.ObjectName, structName, mirror, trailingData: null);
    }
}
