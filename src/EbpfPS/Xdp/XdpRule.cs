using System;

namespace EbpfPS.Xdp
{
    /// <summary>A rule of an interface's filter: which packets (every criterion left out matches all)
    /// and what to do with them. Id is the user's handle, Slot its place in the maps.</summary>
    internal sealed record XdpRule
    {
        public uint Id { get; init; }
        public int Slot { get; init; }
        public XdpAction Action { get; init; }
        public byte? Protocol { get; init; }
        public IpPrefix? Source { get; init; }
        public IpPrefix? Destination { get; init; }
        public ushort? SourcePort { get; init; }
        public ushort? DestinationPort { get; init; }
        public DateTime AddedAt { get; init; }

        /// <summary>4 or 6 when the rule can match only that address family (by its addresses, or
        /// because it names ICMP or ICMPv6), 0 when it matches both.</summary>
        internal int Family => Source?.Family ?? Destination?.Family ?? Protocol switch
        {
            IpProtocols.Icmp => 4,
            IpProtocols.IcmpV6 => 6,
            _ => 0,
        };

        internal bool Matches(PacketHeaders packet) =>
            (Family == 0 || Family == packet.Family)
            && (Protocol is not byte protocol || protocol == packet.Protocol)
            && (Source is not IpPrefix source || source.Contains(packet.Source))
            && (Destination is not IpPrefix destination || destination.Contains(packet.Destination))
            && (SourcePort is not ushort sourcePort || sourcePort == packet.SourcePort)
            && (DestinationPort is not ushort destinationPort || destinationPort == packet.DestinationPort);

        /// <summary>True when both rules name the same packets, whatever their action.</summary>
        internal bool SameMatch(XdpRule other) =>
            Family == other.Family && Protocol == other.Protocol && Source == other.Source && Destination == other.Destination
            && SourcePort == other.SourcePort && DestinationPort == other.DestinationPort;

        public override string ToString() =>
            XdpRuleText.Format(Action, Protocol is byte p ? IpProtocols.Name(p) : null, Source?.ToString(), SourcePort, Destination?.ToString(), DestinationPort);
    }
}
