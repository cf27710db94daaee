using EbpfPS.Core;
using EbpfPS.Xdp;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>What Add-BpfXdpFilter accepts for each criterion, and the error id and message of what it refuses.</summary>
    public class XdpRuleParserTests
    {
        [Theory]
        [InlineData("10.0.0.0/8", "10.0.0.0/8", 4)]
        [InlineData("10.0.0.1", "10.0.0.1/32", 4)]
        [InlineData(" 192.168.1.0/24 ", "192.168.1.0/24", 4)]
        [InlineData("0.0.0.0/0", "0.0.0.0/0", 4)]
        [InlineData("fd00::/64", "fd00::/64", 6)]
        [InlineData("FD00:0:0:0::1", "fd00::1/128", 6)]
        [InlineData("::/0", "::/0", 6)]
        [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1/128", 6)]
        public void Prefixes_parse_to_their_canonical_form(string text, string expected, int family)
        {
            var prefix = IpPrefix.Parse(text);
            Assert.Equal(expected, prefix.ToString());
            Assert.Equal(family, prefix.Family);
        }

        [Theory]
        [InlineData("10.0.0.1/8", "did you mean 10.0.0.0/8?")]
        [InlineData("fd00::1/64", "did you mean fd00::/64?")]
        [InlineData("10.0.0.0/33", "from 0 to 32")]
        [InlineData("fd00::/129", "from 0 to 128")]
        [InlineData("10.0.0.0/", "from 0 to 32")]
        [InlineData("10.0.0.0/-1", "from 0 to 32")]
        [InlineData("10.0.0.0/+8", "from 0 to 32")]
        [InlineData("10.1", "not an IPv4 or IPv6 address")]
        [InlineData("10", "not an IPv4 or IPv6 address")]
        [InlineData("10.0.0.256", "not an IPv4 or IPv6 address")]
        [InlineData("fe80::1%eth0", "not an IPv4 or IPv6 address")]
        [InlineData("example.com", "not an IPv4 or IPv6 address")]
        public void Bad_prefixes_are_refused_with_InvalidAddressPrefix(string text, string says)
        {
            var e = Assert.Throws<BpfException>(() => XdpRuleParser.Parse(XdpAction.Drop, source: text));
            Assert.Equal("InvalidAddressPrefix", e.ErrorId);
            Assert.Equal(BpfErrorKind.InvalidArgument, e.Kind);
            Assert.Contains(says, e.Message);
            Assert.Contains("CIDR", e.Hint);
        }

        [Theory]
        [InlineData("Icmp", 1)]
        [InlineData("tcp", 6)]
        [InlineData("UDP", 17)]
        [InlineData("icmpv6", 58)]
        [InlineData("47", 47)]
        [InlineData("0", 0)]
        [InlineData("255", 255)]
        public void Protocols_are_names_or_numbers(string text, int number) =>
            Assert.Equal((byte)number, XdpRuleParser.Parse(XdpAction.Drop, protocol: text).Protocol);

        [Theory]
        [InlineData("256")]
        [InlineData("-1")]
        [InlineData("gre")]
        [InlineData("Tcp6")]
        public void Unknown_protocols_are_refused_with_InvalidProtocol(string text)
        {
            var e = Assert.Throws<BpfException>(() => XdpRuleParser.Parse(XdpAction.Drop, protocol: text));
            Assert.Equal("InvalidProtocol", e.ErrorId);
            Assert.Contains("/etc/protocols", e.Hint);
        }

        [Theory]
        [InlineData("22", 22)]
        [InlineData("0", 0)]
        [InlineData("65535", 65535)]
        [InlineData(" 8080 ", 8080)]
        public void Ports_are_numbers_from_0_to_65535(string text, int port)
        {
            var rule = XdpRuleParser.Parse(XdpAction.Drop, "Tcp", sourcePort: text, destinationPort: text);
            Assert.Equal((ushort)port, rule.SourcePort);
            Assert.Equal((ushort)port, rule.DestinationPort);
        }

        [Theory]
        [InlineData("65536")]
        [InlineData("-1")]
        [InlineData("ssh")]
        [InlineData("22-80")]
        [InlineData("0x16")]
        public void Bad_ports_are_refused_with_InvalidPort(string text)
        {
            var e = Assert.Throws<BpfException>(() => XdpRuleParser.Parse(XdpAction.Drop, "Udp", destinationPort: text));
            Assert.Equal("InvalidPort", e.ErrorId);
            Assert.Contains($"'{text}'", e.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("Icmp")]
        [InlineData("47")]
        public void A_port_without_tcp_or_udp_is_refused(string? protocol)
        {
            var e = Assert.Throws<BpfException>(() => XdpRuleParser.Parse(XdpAction.Drop, protocol, destinationPort: "22"));
            Assert.Equal("PortWithoutTcpOrUdp", e.ErrorId);
            Assert.Contains("-Protocol Tcp", e.Hint);
        }

        [Theory]
        [InlineData(null, "10.0.0.0/8", "fd00::/8")]
        [InlineData("Icmp", "fd00::1", null)]
        [InlineData("Icmp", null, "fd00::1")]
        [InlineData("IcmpV6", "10.0.0.1", null)]
        public void Criteria_no_packet_can_meet_are_refused_with_AddressFamilyMismatch(string? protocol, string? source, string? destination)
        {
            var e = Assert.Throws<BpfException>(() => XdpRuleParser.Parse(XdpAction.Drop, protocol, source, destination));
            Assert.Equal("AddressFamilyMismatch", e.ErrorId);
        }

        [Fact]
        public void Empty_text_means_any_as_a_piped_object_without_a_value_binds()
        {
            var rule = XdpRuleParser.Parse(XdpAction.Pass, "", " ", "", "", null);
            Assert.Equal(new XdpRule { Action = XdpAction.Pass }, rule);
            Assert.Equal(0, rule.Family);
        }

        [Fact]
        public void A_rule_reads_as_written()
        {
            Assert.Equal("Drop Tcp from 10.0.0.0/8 to any port 22",
                XdpRuleParser.Parse(XdpAction.Drop, "tcp", "10.0.0.0/8", destinationPort: "22").ToString());
            Assert.Equal("Pass IP", XdpRuleParser.Parse(XdpAction.Pass).ToString());
            Assert.Equal("Drop IcmpV6 to fd00::/64", XdpRuleParser.Parse(XdpAction.Drop, "58", destination: "fd00::/64").ToString());
        }
    }
}
