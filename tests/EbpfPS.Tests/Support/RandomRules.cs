using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using EbpfPS.Xdp;

namespace EbpfPS.Tests.Support
{
    /// <summary>Random rule sets and packets over a small set of overlapping prefixes, protocols and ports,
    /// so that rules overlap often; tests seed the Random, so a failure is reproducible.</summary>
    internal static class RandomRules
    {
        private static readonly string[] V4 = { "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32", "10.1.2.4/31", "192.168.0.0/16", "0.0.0.0/0", "10.128.0.0/9" };
        private static readonly string[] V6 = { "fd00::/8", "fd00:1::/32", "fd00:1::5/128", "::/0", "fe80::/10", "fd00:1:0:0:8000::/65" };
        private static readonly byte[] Protocols = { IpProtocols.Icmp, IpProtocols.IcmpV6, IpProtocols.Tcp, IpProtocols.Udp, 47 };
        private static readonly ushort[] Ports = { 22, 53, 80, 443 };

        internal static List<XdpRule> Rules(Random random, int count)
        {
            var rules = new List<XdpRule>();
            for (uint id = 1; rules.Count < count; id++)
            {
                bool v6 = random.Next(2) == 0;
                string[] prefixes = v6 ? V6 : V4;
                string? protocol = random.Next(3) == 0 ? null : Protocols[random.Next(Protocols.Length)].ToString();
                bool ports = protocol is "6" or "17";
                try
                {
                    var rule = XdpRuleParser.Parse(random.Next(2) == 0 ? XdpAction.Drop : XdpAction.Pass, protocol,
                        random.Next(2) == 0 ? prefixes[random.Next(prefixes.Length)] : null,
                        random.Next(3) == 0 ? prefixes[random.Next(prefixes.Length)] : null,
                        ports && random.Next(3) == 0 ? Ports[random.Next(Ports.Length)].ToString() : null,
                        ports && random.Next(2) == 0 ? Ports[random.Next(Ports.Length)].ToString() : null);
                    if (!rules.Any(r => r.SameMatch(rule))) rules.Add(rule with { Id = id, Slot = rules.Count });
                }
                catch (EbpfPS.Core.BpfException) { } // e.g. Icmp with an IPv6 prefix: not a rule
            }
            return rules;
        }

        internal static PacketHeaders Packet(Random random)
        {
            bool v6 = random.Next(2) == 0;
            IPAddress Address()
            {
                var prefix = IpPrefix.Parse((v6 ? V6 : V4)[random.Next(v6 ? V6.Length : V4.Length)]);
                var bytes = prefix.Network.GetAddressBytes();
                for (int bit = prefix.Length; bit < bytes.Length * 8; bit++)
                    if (random.Next(4) == 0) bytes[bit / 8] |= (byte)(0x80 >> (bit % 8)); // mostly near the prefix's edge
                return new IPAddress(bytes);
            }
            byte protocol = Protocols[random.Next(Protocols.Length)];
            bool ports = IpProtocols.HasPorts(protocol) && random.Next(8) != 0; // now and then a later fragment
            ushort? Port() => ports ? Ports[random.Next(Ports.Length)] : null;
            return new PacketHeaders(Address(), Address(), protocol, Port(), Port());
        }
    }
}
