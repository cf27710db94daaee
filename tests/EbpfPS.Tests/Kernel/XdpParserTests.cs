using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Tests.Support;
using EbpfPS.Xdp;
using Xunit;
using static EbpfPS.Tests.Support.Frames;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The filter program's parser on frames built byte by byte and run with BPF_PROG_TEST_RUN:
    /// what each kind of frame gets (documented in bpf/xdp_filter.bpf.c), and that no frame cut short
    /// at any byte is classified by what it does not contain.</summary>
    public class XdpParserTests : IClassFixture<KernelLeakCheck>
    {
        private static XdpRule Rule(XdpAction action, string? protocol = null, string? source = null, string? destination = null,
            string? sourcePort = null, string? destinationPort = null) =>
            XdpRuleParser.Parse(action, protocol, source, destination, sourcePort, destinationPort);

        [KernelFact]
        public void Icmp_is_dropped_while_tcp_udp_and_arp_pass()
        {
            using var program = new XdpProgramUnderTest(Rule(XdpAction.Drop, "Icmp"));
            Assert.Equal(XdpAction.Drop, program.Run(Icmp4("10.0.0.1", "10.0.0.2")));
            Assert.Equal(XdpAction.Pass, program.Run(Tcp4("10.0.0.1", "10.0.0.2", 40000, 22)));
            Assert.Equal(XdpAction.Pass, program.Run(Udp4("10.0.0.1", "10.0.0.2", 40000, 53)));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(Arp, new byte[28])));
            Assert.Equal(1UL, program.Total(XdpTotal.NonIp));
            Assert.Equal(1UL, program.Total(XdpTotal.Dropped));
            Assert.Equal(3UL, program.Total(XdpTotal.Passed));
            Assert.Equal(0UL, program.Total(XdpTotal.Malformed));
        }

        [KernelFact]
        public void Vlan_and_qinq_tagged_frames_are_classified_by_their_ip_packet()
        {
            using var program = new XdpProgramUnderTest(Rule(XdpAction.Drop, "Udp", destinationPort: "53"));
            var packet = IPv4Packet("10.0.0.1", "10.0.0.2", Udp, UdpDatagram(1000, 53));
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv4, packet, Dot1Q)));
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv4, packet, Dot1AD, Dot1Q)));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(IPv4, IPv4Packet("10.0.0.1", "10.0.0.2", Udp, UdpDatagram(1000, 54)), Dot1Q)));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(Arp, new byte[28], Dot1Q)));
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv4, packet, Dot1AD, Dot1Q, Dot1Q)));
            Assert.Equal(1UL, program.Total(XdpTotal.Malformed)); // three tags: more than we follow
        }

        [KernelFact]
        public void Ipv6_extension_headers_are_skipped_to_the_upper_layer_protocol()
        {
            using var program = new XdpProgramUnderTest(Rule(XdpAction.Drop, "Tcp", "fd00::1", destinationPort: "22"), Rule(XdpAction.Drop, "IcmpV6", "fd00::1"));
            var tcp = TcpSegment(40000, 22);
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv6, IPv6Packet("fd00::1", "fd00::2", Tcp, tcp))));
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv6, IPv6Packet("fd00::1", "fd00::2", Tcp, tcp,
                Options(HopByHop), Options(Routing), Options(DestinationOptions), FragmentHeader(0, true)))));
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv6, IPv6Packet("fd00::1", "fd00::2", IcmpV6, IcmpEcho(), Options(DestinationOptions)))));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(IPv6, IPv6Packet("fd00::3", "fd00::2", Tcp, tcp))));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(IPv6, IPv6Packet("fd00::1", "fd00::2", NoNextHeader, new byte[0]))));
            var tooMany = Enumerable.Repeat(Options(DestinationOptions), 9).ToArray();
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv6, IPv6Packet("fd00::3", "fd00::2", Tcp, tcp, tooMany))));
            Assert.Equal(1UL, program.Total(XdpTotal.Malformed));
        }

        [KernelFact]
        public void Later_fragments_carry_no_ports_so_only_rules_without_ports_match_them()
        {
            using var program = new XdpProgramUnderTest(Rule(XdpAction.Drop, "Udp", destinationPort: "53"), Rule(XdpAction.Drop, "Udp", "10.9.9.9"));
            var first = IPv4Packet("10.0.0.1", "10.0.0.2", Udp, UdpDatagram(1000, 53), moreFragments: true);
            var later = IPv4Packet("10.0.0.1", "10.0.0.2", Udp, new byte[16], fragmentOffset: 3);
            var laterFromBlocked = IPv4Packet("10.9.9.9", "10.0.0.2", Udp, new byte[16], fragmentOffset: 3);
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv4, first)));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(IPv4, later)));
            Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv4, laterFromBlocked)));
            var later6 = IPv6Packet("fd00::1", "fd00::2", Udp, new byte[16], FragmentHeader(3, false));
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(IPv6, later6)));
            Assert.Equal(0UL, program.Total(XdpTotal.Malformed));
        }

        [KernelFact]
        public void Malformed_ipv4_headers_are_dropped_and_counted()
        {
            using var program = new XdpProgramUnderTest(Rule(XdpAction.Pass, "Icmp"));
            var good = IPv4Packet("10.0.0.1", "10.0.0.2", Icmp, IcmpEcho());
            var badVersion = (byte[])good.Clone(); badVersion[0] = 0x65;
            var shortHeader = (byte[])good.Clone(); shortHeader[0] = 0x44;
            var longTotal = (byte[])good.Clone(); longTotal[2] = 0x10; // claims 4 KiB
            var shortTotal = (byte[])good.Clone(); shortTotal[2] = 0; shortTotal[3] = 10;
            Assert.Equal(XdpAction.Pass, program.Run(Ethernet(IPv4, good)));
            foreach (var bad in new[] { badVersion, shortHeader, longTotal, shortTotal })
                Assert.Equal(XdpAction.Drop, program.Run(Ethernet(IPv4, bad)));
            Assert.Equal(4UL, program.Total(XdpTotal.Malformed));
            Assert.Equal(0UL, program.Maps.Counter(0).Packets + program.Maps.Counter(1).Packets - 1); // only the good one matched
        }

        [KernelFact]
        public void A_frame_cut_short_anywhere_in_its_headers_is_malformed_never_matched()
        {
            using var program = new XdpProgramUnderTest(Rule(XdpAction.Pass, "Tcp", destinationPort: "22"), Rule(XdpAction.Pass, "Udp"));
            var frames = new[]
            {
                Tcp4("10.0.0.1", "10.0.0.2", 40000, 22),
                Ethernet(IPv6, IPv6Packet("fd00::1", "fd00::2", Udp, UdpDatagram(1, 2, 0), Options(HopByHop), FragmentHeader(0, true))),
                Ethernet(IPv4, IPv4Packet("10.0.0.1", "10.0.0.2", Udp, UdpDatagram(1, 2, 0)), Dot1AD, Dot1Q),
            };
            ulong cut = 0;
            foreach (var frame in frames)
            {
                int headers = frame.Length; // every byte of these frames is header
                for (int length = 14; length < headers; length++)
                {
                    Assert.Equal(XdpAction.Drop, program.Run(Cut(frame, length)));
                    cut++;
                }
                Assert.Equal(XdpAction.Pass, program.Run(frame));
            }
            Assert.Equal(cut, program.Total(XdpTotal.Malformed));
            Assert.Equal(3UL, program.Maps.Counter(0).Packets + program.Maps.Counter(1).Packets);
        }
    }
}
