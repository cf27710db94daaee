using System.Globalization;
using EbpfPS.Core;

namespace EbpfPS.Xdp
{
    /// <summary>Turns the text of Add-BpfXdpFilter's parameters into a rule, or says which one is wrong.
    /// Empty text means "any" (what a property of a piped object without a value binds as).</summary>
    internal static class XdpRuleParser
    {
        internal static XdpRule Parse(XdpAction action, string? protocol = null, string? source = null, string? destination = null,
            string? sourcePort = null, string? destinationPort = null)
        {
            var rule = new XdpRule
            {
                Action = action,
                Protocol = Given(protocol) ? IpProtocols.Parse(protocol!) : null,
                Source = Given(source) ? IpPrefix.Parse(source!) : null,
                Destination = Given(destination) ? IpPrefix.Parse(destination!) : null,
                SourcePort = Given(sourcePort) ? Port(sourcePort!) : null,
                DestinationPort = Given(destinationPort) ? Port(destinationPort!) : null,
            };
            if ((rule.SourcePort is not null || rule.DestinationPort is not null) && !(rule.Protocol is byte p && IpProtocols.HasPorts(p)))
                throw Invalid(BpfErrorIds.PortWithoutTcpOrUdp, "A port needs -Protocol Tcp or -Protocol Udp: ports are read only from TCP and UDP headers.",
                    "Add -Protocol Tcp or -Protocol Udp, or leave the port out.");
            if (rule.Source is IpPrefix s && rule.Destination is IpPrefix d && s.Family != d.Family)
                throw Invalid(BpfErrorIds.AddressFamilyMismatch, $"The source {s} and the destination {d} are of different address families: no packet has both.",
                    "Give two IPv4 or two IPv6 prefixes.");
            int addressFamily = rule.Source?.Family ?? rule.Destination?.Family ?? 0;
            if ((rule.Protocol == IpProtocols.Icmp && addressFamily == 6) || (rule.Protocol == IpProtocols.IcmpV6 && addressFamily == 4))
                throw Invalid(BpfErrorIds.AddressFamilyMismatch, $"{IpProtocols.Name(rule.Protocol!.Value)} does not travel in IPv{addressFamily} packets.",
                    "Use -Protocol Icmp with IPv4 addresses and -Protocol IcmpV6 with IPv6 addresses.");
            return rule;
        }

        private static bool Given(string? text) => !string.IsNullOrWhiteSpace(text);

        private static ushort Port(string text)
        {
            if (ushort.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port)) return port;
            throw Invalid(BpfErrorIds.InvalidPort, $"'{text}' is not a port number.", "Give a number from 0 to 65535, e.g. -DestinationPort 22.");
        }

        private static BpfException Invalid(string errorId, string message, string hint) =>
            new(BpfErrorKind.InvalidArgument, message, hint) { ErrorId = errorId };
    }
}
