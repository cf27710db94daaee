using System.Collections.Generic;
using System.Linq;
using System;
using EbpfPS.Bpf;

namespace EbpfPS.Xdp
{
    /// <summary>The lookup tables of one generation of a rule set, as the program reads them.</summary>
    internal sealed class XdpCompiledRules
    {
        internal XdpFilterTable Table;
        internal XdpRuleMask[] Protocols { get; } = new XdpRuleMask[XdpLimits.Protocols];
        internal List<KeyValuePair<XdpPrefixKey, XdpRuleMask>> Prefixes { get; } = new();
        internal List<KeyValuePair<XdpPortKey, XdpRuleMask>> Ports { get; } = new();
        /// <summary>The rules in priority order: bit i of every mask is ByPriority[i].</summary>
        internal IReadOnlyList<XdpRule> ByPriority { get; init; } = new List<XdpRule>();
    }

    /// <summary>Compiles rules into the tables of bpf/xdp_filter.h: for each header field, which rules a
    /// value can match. The program ANDs the masks of a packet's fields; the lowest bit left is the
    /// most specific matching rule, because bits are given out in XdpRuleOrder.</summary>
    internal static class XdpRuleCompiler
    {
        /// <summary>prefixlen of the catch-all entry: generation and direction only, so every address matches it.</summary>
        internal const uint CatchAllPrefixLength = 16;
        /// <summary>Bits of generation, direction, family and reserved before the address in a prefix key.</summary>
        internal const uint KeyHeaderBits = 32;

        internal static unsafe XdpCompiledRules Compile(IEnumerable<XdpRule> rules, byte generation)
        {
            var ordered = XdpRuleOrder.Sort(rules);
            var compiled = new XdpCompiledRules { ByPriority = ordered };
            ref var table = ref compiled.Table;
            table.RuleCount = (uint)ordered.Count;
            for (int bit = 0; bit < ordered.Count; bit++)
            {
                var rule = ordered[bit];
                table.SetVerdict(bit, rule.Slot, rule.Action);
                if (rule.Family != 6) table.SetFamily(0, bit);
                if (rule.Family != 4) table.SetFamily(1, bit);
                if (rule.SourcePort is null) table.AnySourcePort.Set(bit);
                if (rule.DestinationPort is null) table.AnyDestinationPort.Set(bit);
                for (int protocol = 0; protocol < XdpLimits.Protocols; protocol++)
                    if (rule.Protocol is null || rule.Protocol == protocol) compiled.Protocols[protocol].Set(bit);
            }
            if (ordered.Any(r => r.Source is not null)) table.Lookups |= XdpFilterLookup.Source;
            if (ordered.Any(r => r.Destination is not null)) table.Lookups |= XdpFilterLookup.Destination;
            if (ordered.Any(r => r.SourcePort is not null)) table.Lookups |= XdpFilterLookup.SourcePort;
            if (ordered.Any(r => r.DestinationPort is not null)) table.Lookups |= XdpFilterLookup.DestinationPort;

            AddPrefixes(compiled, ordered, generation, XdpDirection.Source, r => r.Source);
            AddPrefixes(compiled, ordered, generation, XdpDirection.Destination, r => r.Destination);
            AddPorts(compiled, ordered, generation, XdpDirection.Source, r => r.SourcePort);
            AddPorts(compiled, ordered, generation, XdpDirection.Destination, r => r.DestinationPort);
            return compiled;
        }

        /// <summary>One trie entry per distinct prefix, holding every rule whose prefix covers it (the trie
        /// returns only the longest match, so that entry must stand for the shorter ones too), and a
        /// catch-all entry for the rules without a prefix.</summary>
        private static unsafe void AddPrefixes(XdpCompiledRules compiled, List<XdpRule> ordered, byte generation,
            XdpDirection direction, Func<XdpRule, IpPrefix?> prefixOf)
        {
            var catchAll = new XdpPrefixKey { Prefixlen = CatchAllPrefixLength, Generation = generation, Direction = (byte)direction };
            compiled.Prefixes.Add(new(catchAll, Mask(ordered, r => prefixOf(r) is null)));
            foreach (var prefix in ordered.Select(prefixOf).OfType<IpPrefix>().Distinct())
            {
                var key = new XdpPrefixKey
                {
                    Prefixlen = KeyHeaderBits + (uint)prefix.Length,
                    Generation = generation,
                    Direction = (byte)direction,
                    Family = (byte)prefix.Family,
                };
                prefix.Bytes.CopyTo(new Span<byte>(key.Address, 16));
                compiled.Prefixes.Add(new(key, Mask(ordered, r => prefixOf(r) is not IpPrefix p || p.Contains(prefix))));
            }
        }

        /// <summary>One hash entry per distinct port with the rules that name exactly it; the rules without a
        /// port are in the table's any-port mask, which the program adds to every lookup.</summary>
        private static void AddPorts(XdpCompiledRules compiled, List<XdpRule> ordered, byte generation,
            XdpDirection direction, Func<XdpRule, ushort?> portOf)
        {
            foreach (var port in ordered.Select(portOf).OfType<ushort>().Distinct())
                compiled.Ports.Add(new(new XdpPortKey { Generation = generation, Direction = (byte)direction, Port = port },
                    Mask(ordered, r => portOf(r) == port)));
        }

        private static XdpRuleMask Mask(List<XdpRule> ordered, Func<XdpRule, bool> includes)
        {
            var mask = new XdpRuleMask();
            for (int bit = 0; bit < ordered.Count; bit++)
                if (includes(ordered[bit])) mask.Set(bit);
            return mask;
        }
    }
}
