using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using EbpfPS.Tests.Support;
using EbpfPS.Xdp;
using Xunit;
using EbpfPS.Bpf;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The compiled tables decide every packet as the ordered rules do. The tables are read here as
    /// bpf/xdp_filter.bpf.c reads them (longest-prefix lookups, AND of masks, lowest bit), on random rule
    /// sets and packets from a fixed seed, so a failure is reproducible.</summary>
    public class XdpRuleCompilerTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        public void Tables_decide_like_the_ordered_rules(int seed)
        {
            var random = new Random(seed);
            var rules = RandomRules.Rules(random, count: 40);
            var compiled = XdpRuleCompiler.Compile(rules, generation: 1);
            for (int i = 0; i < 3000; i++)
            {
                var packet = RandomRules.Packet(random);
                var expected = XdpRuleOrder.Decide(rules, packet);
                var actual = Classify(compiled, packet, generation: 1);
                Assert.True(expected?.Id == actual?.Id, $"{packet}: rules say {expected?.ToString() ?? "none"}, tables say {actual?.ToString() ?? "none"}");
            }
        }

        [Fact]
        public void Verdicts_name_each_rules_slot_and_action_in_priority_order()
        {
            var rules = new[]
            {
                XdpRuleParser.Parse(XdpAction.Drop, "Icmp") with { Id = 1, Slot = 7 },
                XdpRuleParser.Parse(XdpAction.Pass, "Icmp", "10.0.0.1") with { Id = 2, Slot = 3 },
            };
            var table = XdpRuleCompiler.Compile(rules, 0).Table;
            unsafe
            {
                Assert.Equal(2u, table.RuleCount);
                Assert.Equal(new XdpFilterVerdict { Slot = 3, Action = (ushort)XdpAction.Pass }, table.ByPriority[0]);
                Assert.Equal(new XdpFilterVerdict { Slot = 7, Action = (ushort)XdpAction.Drop }, table.ByPriority[1]);
            }
            Assert.Equal(XdpFilterLookup.Source, table.Lookups);
        }

        [Fact]
        public void Only_the_lookups_some_rule_needs_are_made()
        {
            var rules = new[]
            {
                XdpRuleParser.Parse(XdpAction.Drop, "Tcp", destination: "10.0.0.0/8", destinationPort: "22") with { Id = 1 },
                XdpRuleParser.Parse(XdpAction.Pass, "Udp", destinationPort: "53") with { Id = 2 },
            };
            Assert.Equal(XdpFilterLookup.Destination | XdpFilterLookup.DestinationPort, XdpRuleCompiler.Compile(rules, 0).Table.Lookups);
        }

        [Fact]
        public void A_rule_set_without_addresses_or_ports_needs_only_the_protocol_lookup()
        {
            var compiled = XdpRuleCompiler.Compile(new[] { XdpRuleParser.Parse(XdpAction.Drop, "Icmp") with { Id = 1 } }, 0);
            Assert.Equal((XdpFilterLookup)0, compiled.Table.Lookups);
            Assert.Empty(compiled.Ports);
            Assert.True(compiled.Protocols[IpProtocols.Icmp].IsSet(0));
            Assert.False(compiled.Protocols[IpProtocols.Tcp].IsSet(0));
        }

        /// <summary>What the program does with the tables, step by step.</summary>
        private static unsafe XdpRule? Classify(XdpCompiledRules compiled, PacketHeaders packet, byte generation)
        {
            var table = compiled.Table;
            var match = new XdpRuleMask();
            int family = packet.Family == 4 ? 0 : 1;
            for (int w = 0; w < XdpRuleMask.WordsLength; w++)
                match.Words[w] = table.Family[family].Words[w] & compiled.Protocols[packet.Protocol].Words[w];
            if (table.Lookups.HasFlag(XdpFilterLookup.Source)) And(ref match, LongestPrefix(compiled, generation, XdpDirection.Source, packet.Source));
            if (table.Lookups.HasFlag(XdpFilterLookup.Destination)) And(ref match, LongestPrefix(compiled, generation, XdpDirection.Destination, packet.Destination));
            if (table.Lookups.HasFlag(XdpFilterLookup.SourcePort))
                And(ref match, Or(table.AnySourcePort, ExactPort(compiled, generation, XdpDirection.Source, packet.SourcePort)));
            if (table.Lookups.HasFlag(XdpFilterLookup.DestinationPort))
                And(ref match, Or(table.AnyDestinationPort, ExactPort(compiled, generation, XdpDirection.Destination, packet.DestinationPort)));
            for (int bit = 0; bit < XdpLimits.MaxRules; bit++)
                if (match.IsSet(bit))
                {
                    var rule = compiled.ByPriority[bit];
                    Assert.Equal(new XdpFilterVerdict { Slot = (ushort)rule.Slot, Action = (ushort)rule.Action }, table.ByPriority[bit]);
                    return rule;
                }
            return null;
        }

        private static unsafe XdpRuleMask LongestPrefix(XdpCompiledRules compiled, byte generation, XdpDirection direction, IPAddress address)
        {
            var key = new byte[20];
            key[0] = generation;
            key[1] = (byte)direction;
            key[2] = (byte)(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 6);
            address.GetAddressBytes().CopyTo(key, 4);
            XdpRuleMask best = default;
            uint bestLength = 0;
            bool found = false;
            foreach (var (entry, mask) in compiled.Prefixes)
            {
                var bytes = new byte[20];
                bytes[0] = entry.Generation;
                bytes[1] = (byte)entry.Direction;
                bytes[2] = entry.Family;
                for (int i = 0; i < 16; i++) bytes[4 + i] = entry.Address[i];
                if (FirstBitsEqual(key, bytes, (int)entry.Prefixlen) && (!found || entry.Prefixlen > bestLength))
                {
                    best = mask;
                    bestLength = entry.Prefixlen;
                    found = true;
                }
            }
            return best; // no entry at all: nothing matches, as the program does
        }

        private static bool FirstBitsEqual(byte[] a, byte[] b, int bits)
        {
            for (int bit = 0; bit < bits; bit++)
                if (((a[bit / 8] ^ b[bit / 8]) & (0x80 >> (bit % 8))) != 0) return false;
            return true;
        }

        private static XdpRuleMask ExactPort(XdpCompiledRules compiled, byte generation, XdpDirection direction, ushort? port) =>
            port is ushort p ? compiled.Ports.FirstOrDefault(e => e.Key.Generation == generation && (XdpDirection)e.Key.Direction == direction && e.Key.Port == p).Value : default;

        private static unsafe XdpRuleMask Or(XdpRuleMask a, XdpRuleMask b)
        {
            for (int w = 0; w < XdpRuleMask.WordsLength; w++) a.Words[w] |= b.Words[w];
            return a;
        }

        private static unsafe void And(ref XdpRuleMask into, XdpRuleMask other)
        {
            for (int w = 0; w < XdpRuleMask.WordsLength; w++) into.Words[w] &= other.Words[w];
        }
    }
}
