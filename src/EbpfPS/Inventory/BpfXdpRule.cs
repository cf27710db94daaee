using System;

namespace EbpfPS
{
    /// <summary>One rule of an interface's XDP filter and how many packets it decided.</summary>
    public sealed class BpfXdpRule
    {
        public string Interface { get; set; } = "";
        /// <summary>Stable for the rule's life; Remove-BpfXdpFilter -RuleId takes it.</summary>
        public int RuleId { get; set; }
        /// <summary>Place in the evaluation order, 0 first: the most specific rule decides.</summary>
        public int Priority { get; set; }
        public XdpAction Action { get; set; }
        /// <summary>Icmp, IcmpV6, Tcp, Udp or a number; empty for any protocol.</summary>
        public string? Protocol { get; set; }
        public int? ProtocolNumber { get; set; }
        /// <summary>A prefix in CIDR notation; empty for any source.</summary>
        public string? SourceAddress { get; set; }
        public int? SourcePort { get; set; }
        public string? DestinationAddress { get; set; }
        public int? DestinationPort { get; set; }
        public ulong Packets { get; set; }
        public ulong Bytes { get; set; }
        public DateTime AddedAt { get; set; }

        /// <summary>"3: Drop Tcp from 10.0.0.0/8 to any port 22", as lists of rules show it.</summary>
        public override string ToString() =>
            $"{RuleId}: {XdpRuleText.Format(Action, Protocol, SourceAddress, SourcePort, DestinationAddress, DestinationPort)}";
    }
}
