using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Tests.Support;
using EbpfPS.Xdp;
using Xunit;
using static EbpfPS.Tests.Support.Frames;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The loaded program with rules written by the engine, run with BPF_PROG_TEST_RUN: it decides
    /// random packets as the ordered rules say and counts each on the deciding rule; the table holds 256
    /// rules; a change leaves only the live and the previous generation in the maps.</summary>
    public class XdpRuleTableTests : IClassFixture<KernelLeakCheck>
    {
        [KernelFact]
        public void The_program_decides_like_the_ordered_rules_and_counts_on_the_deciding_rule()
        {
            foreach (int seed in new[] { 11, 12, 13 })
            {
                var random = new Random(seed);
                using var program = new XdpProgramUnderTest();
                var rules = RandomRules.Rules(random, count: 60).Select(r => program.Maps.Add(r with { Id = 0 })).ToList();
                var expected = new Dictionary<uint, ulong>();
                for (int i = 0; i < 600; i++)
                {
                    var packet = RandomRules.Packet(random);
                    var decidedBy = XdpRuleOrder.Decide(rules, packet);
                    Assert.True((decidedBy?.Action ?? XdpAction.Pass) == program.Run(Frame(packet)), $"seed {seed}: {packet} should be decided by {decidedBy?.ToString() ?? "no rule"}");
                    if (decidedBy is not null) expected[decidedBy.Id] = expected.GetValueOrDefault(decidedBy.Id) + 1;
                }
                foreach (var rule in rules)
                    Assert.Equal((rule.Id, expected.GetValueOrDefault(rule.Id)), (rule.Id, program.Maps.Counter(rule.Slot).Packets));
            }
        }

        [KernelFact]
        public void The_filter_holds_256_rules_the_last_one_matches_and_a_257th_is_refused()
        {
            using var program = new XdpProgramUnderTest();
            for (int port = 1; port <= XdpLimits.MaxRules; port++)
                program.Maps.Add(XdpRuleParser.Parse(XdpAction.Drop, "Udp", destinationPort: port.ToString()));
            var e = Assert.Throws<BpfException>(() => program.Maps.Add(XdpRuleParser.Parse(XdpAction.Drop, "Tcp")));
            Assert.Equal("XdpRuleLimitReached", e.ErrorId);
            Assert.Equal(XdpAction.Drop, program.Run(Udp4("10.0.0.1", "10.0.0.2", 9, 256)));
            Assert.Equal(XdpAction.Pass, program.Run(Udp4("10.0.0.1", "10.0.0.2", 9, 257)));
            Assert.Equal(1UL, program.Maps.Counter(program.Maps.ReadRules().Single(r => r.DestinationPort == 256).Slot).Packets);
        }

        [KernelFact]
        public void A_change_switches_generations_and_clears_the_one_before_last()
        {
            using var program = new XdpProgramUnderTest();
            var first = program.Maps.Add(XdpRuleParser.Parse(XdpAction.Drop, "Udp", "10.0.0.0/8", destinationPort: "53"));
            var generation = program.Maps.ReadState().Generation;
            var second = program.Maps.Add(XdpRuleParser.Parse(XdpAction.Pass, "Udp", "10.1.0.0/16", destinationPort: "53"));
            Assert.NotEqual(generation, program.Maps.ReadState().Generation);
            Assert.Equal(XdpAction.Pass, program.Run(Udp4("10.1.0.1", "10.0.0.2", 9, 53)));
            Assert.Equal(XdpAction.Drop, program.Run(Udp4("10.2.0.1", "10.0.0.2", 9, 53)));

            program.Maps.Remove(second.Id);
            program.Maps.Remove(first.Id);
            Assert.Equal(XdpAction.Pass, program.Run(Udp4("10.2.0.1", "10.0.0.2", 9, 53)));
            // Live: no rules (two catch-all entries); previous: the first rule alone (two catch-alls and its prefix).
            Assert.Equal(5, program.PrefixEntries());
            Assert.Equal(1, program.PortEntries());
            Assert.Empty(program.Maps.ReadRules());
        }

        /// <summary>An Ethernet frame carrying exactly these headers; no ports means a later fragment.</summary>
        private static byte[] Frame(PacketHeaders p)
        {
            bool v4 = p.Family == 4;
            bool laterFragment = IpProtocols.HasPorts(p.Protocol) && p.SourcePort is null;
            byte[] payload = p.Protocol switch
            {
                _ when laterFragment => new byte[16],
                IpProtocols.Tcp => TcpSegment(p.SourcePort!.Value, p.DestinationPort!.Value),
                IpProtocols.Udp => UdpDatagram(p.SourcePort!.Value, p.DestinationPort!.Value),
                IpProtocols.Icmp or IpProtocols.IcmpV6 => IcmpEcho(),
                _ => new byte[8],
            };
            string source = p.Source.ToString(), destination = p.Destination.ToString();
            return v4
                ? Ethernet(IPv4, IPv4Packet(source, destination, p.Protocol, payload, fragmentOffset: laterFragment ? 3 : 0))
                : Ethernet(IPv6, laterFragment
                    ? IPv6Packet(source, destination, p.Protocol, payload, FragmentHeader(3, false))
                    : IPv6Packet(source, destination, p.Protocol, payload));
        }
    }
}
