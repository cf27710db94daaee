using System;

namespace EbpfPS
{
    /// <summary>The XDP filter of one interface: how it is attached, its rules and its totals.</summary>
    public sealed class BpfXdpFilter
    {
        public string Interface { get; set; } = "";
        public int InterfaceIndex { get; set; }
        public XdpMode Mode { get; set; }
        /// <summary>False once the interface is gone: the pins remain until Remove-BpfXdpFilter.</summary>
        public bool Attached { get; set; }
        public int ProgramId { get; set; }
        public int LinkId { get; set; }
        public DateTime AttachedAt { get; set; }
        /// <summary>The rules in evaluation order, with their counters; as text (Export-Csv) each rule's text, joined by ", ".</summary>
        public BpfList<BpfXdpRule> Rules { get; set; } = Array.Empty<BpfXdpRule>();
        /// <summary>Packets passed: by a Pass rule, by no rule, or as non-IP.</summary>
        public ulong PassedPackets { get; set; }
        public ulong PassedBytes { get; set; }
        /// <summary>Packets dropped: by a Drop rule, or as malformed.</summary>
        public ulong DroppedPackets { get; set; }
        public ulong DroppedBytes { get; set; }
        /// <summary>Dropped because their headers were cut short or inconsistent (part of DroppedPackets).</summary>
        public ulong MalformedPackets { get; set; }
        /// <summary>Passed without a look at the rules: ARP, LLDP and other non-IP frames (part of PassedPackets).</summary>
        public ulong NonIpPackets { get; set; }
        /// <summary>The bpffs directory holding the program, link and maps.</summary>
        public string PinPath { get; set; } = "";
    }
}
