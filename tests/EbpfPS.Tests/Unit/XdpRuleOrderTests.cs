using System.Linq;
using System.Net;
using EbpfPS.Xdp;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The documented evaluation order (most specific first) on a recorded rule set, and which rule
    /// decides which packet.</summary>
    public class XdpRuleOrderTests
    {
        private static XdpRule Rule(uint id, XdpAction action, string? protocol = null, string? source = null, string? destination = null,
            string? sourcePort = null, string? destinationPort = null) =>
            XdpRuleParser.Parse(action, protocol, source, destination, sourcePort, destinationPort) with { Id = id };

        private static readonly XdpRule[] Recorded =
        {
            Rule(1, XdpAction.Drop),
            Rule(2, XdpAction.Drop, "Tcp", destinationPort: "22"),
            Rule(3, XdpAction.Pass, source: "10.0.0.0/24"),
            Rule(4, XdpAction.Drop, source: "10.0.0.66"),
            Rule(5, XdpAction.Pass, "Icmp", "10.0.0.0/24"),
            Rule(6, XdpAction.Drop, destination: "10.0.0.2"),
            Rule(7, XdpAction.Pass, "Tcp", sourcePort: "22"),
            Rule(8, XdpAction.Pass, source: "0.0.0.0/0"),
            Rule(9, XdpAction.Drop, "Udp", destinationPort: "53"),
        };

        [Fact]
        public void Longer_source_then_longer_destination_then_protocol_then_ports_then_age()
        {
            var order = XdpRuleOrder.Sort(Recorded.Reverse()).Select(r => r.Id);
            Assert.Equal(new uint[] { 4, 5, 3, 8, 6, 7, 2, 9, 1 }, order);
        }

        [Theory]
        [InlineData("10.0.0.7", "10.0.0.2", 6, 40000, 22, 3u)]   // the admin network's Pass outranks Drop Tcp port 22
        [InlineData("10.0.0.66", "10.0.0.2", 6, 40000, 22, 4u)]  // ... but not the /32 inside it
        [InlineData("10.0.0.7", "10.0.0.2", 1, null, null, 5u)]
        [InlineData("10.9.0.7", "10.0.0.2", 6, 40000, 22, 8u)]   // 0.0.0.0/0 is a source, so it comes before destinations
        [InlineData("fd00::7", "fd00::2", 6, 40000, 22, 2u)]     // ... of IPv4 only
        [InlineData("fd00::7", "fd00::2", 6, 22, 80, 7u)]
        [InlineData("fd00::7", "fd00::2", 17, 5353, 53, 9u)]
        [InlineData("fd00::7", "fd00::2", 17, 53, 5353, 1u)]
        public void The_first_matching_rule_in_that_order_decides(string source, string destination, int protocol, int? sourcePort, int? destinationPort, uint decidedBy)
        {
            var packet = new PacketHeaders(IPAddress.Parse(source), IPAddress.Parse(destination), (byte)protocol, (ushort?)sourcePort, (ushort?)destinationPort);
            Assert.Equal(decidedBy, XdpRuleOrder.Decide(Recorded, packet)?.Id);
        }

        [Fact]
        public void Without_a_matching_rule_nothing_decides_and_the_packet_passes()
        {
            var packet = new PacketHeaders(IPAddress.Parse("fd00::7"), IPAddress.Parse("fd00::2"), 17, 1, 2);
            Assert.Null(XdpRuleOrder.Decide(Recorded.Where(r => r.Id != 1), packet));
        }

        [Fact]
        public void Rules_as_specific_as_each_other_keep_the_order_they_were_added_in()
        {
            var a = Rule(10, XdpAction.Drop, "Tcp", destinationPort: "22");
            var b = Rule(11, XdpAction.Pass, "Udp", destinationPort: "22");
            Assert.Equal(new uint[] { 10, 11 }, XdpRuleOrder.Sort(new[] { b, a }).Select(r => r.Id));
        }

        [Fact]
        public void Icmp_rules_without_addresses_match_one_address_family()
        {
            var icmp = Rule(1, XdpAction.Drop, "Icmp");
            var icmp6 = Rule(2, XdpAction.Drop, "IcmpV6");
            Assert.True(icmp.Matches(new PacketHeaders(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), 1)));
            Assert.False(icmp.Matches(new PacketHeaders(IPAddress.Parse("fd00::1"), IPAddress.Parse("fd00::2"), 1)));
            Assert.True(icmp6.Matches(new PacketHeaders(IPAddress.Parse("fd00::1"), IPAddress.Parse("fd00::2"), 58)));
            Assert.False(icmp6.Matches(new PacketHeaders(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), 58)));
        }
    }
}
