using System.Collections.Generic;
using System.IO;
using System.Linq;
using System;
using EbpfPS.Bpf;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core;

namespace EbpfPS.Xdp
{
    /// <summary>The maps of one filter program, from whichever process: its rules, their counters, and the
    /// compiled tables the program reads. Every change compiles the whole rule set into the idle
    /// generation of the tables and then switches the program over, so a packet sees the old rules or
    /// the new ones, never a mix. Callers serialize changes with XdpPins.Lock().</summary>
    internal sealed class XdpFilterMaps : IDisposable
    {
        internal static readonly string[] Names =
        {
            XdpFilterSkeleton.Names.XdpfState, XdpFilterSkeleton.Names.XdpfTables, XdpFilterSkeleton.Names.XdpfProtocols,
            XdpFilterSkeleton.Names.XdpfPrefixes, XdpFilterSkeleton.Names.XdpfPorts, XdpFilterSkeleton.Names.XdpfRules,
            XdpFilterSkeleton.Names.XdpfCounters, XdpFilterSkeleton.Names.XdpfTotals,
        };

        private readonly TypedMap[] _maps;

        private XdpFilterMaps(TypedMap[] maps) => _maps = maps;

        private TypedMap State => _maps[0];
        private TypedMap Tables => _maps[1];
        private TypedMap Protocols => _maps[2];
        private TypedMap Prefixes => _maps[3];
        private TypedMap Ports => _maps[4];
        private TypedMap Rules => _maps[5];
        private TypedMap Counters => _maps[6];
        private TypedMap Totals => _maps[7];

        /// <summary>The maps of a loaded object (borrowed: the object owns them).</summary>
        internal static XdpFilterMaps Of(BpfObject loaded) =>
            new(Names.Select(name => TypedMap.Borrow(loaded.Map(name).Fd)).ToArray());

        internal static XdpFilterMaps OpenPinned(string directory) =>
            new(Names.Select(name => TypedMap.OpenPinned(Path.Combine(directory, name))).ToArray());

        internal void PinAll(string directory)
        {
            for (int i = 0; i < Names.Length; i++) XdpPins.Pin(_maps[i].Map.Fd, Path.Combine(directory, Names[i]));
        }

        internal XdpFilterState ReadState() => State.Lookup<uint, XdpFilterState>(0);

        internal void WriteState(XdpFilterState state) => State.Update(0u, state);

        /// <summary>Every rule, in evaluation order.</summary>
        internal List<XdpRule> ReadRules()
        {
            var rules = new List<XdpRule>();
            for (int slot = 0; slot < XdpLimits.MaxRules; slot++)
            {
                var record = Rules.Lookup<uint, XdpFilterRule>((uint)slot);
                if (record.Id != 0) rules.Add(XdpRuleRecord.To(record, slot));
            }
            return XdpRuleOrder.Sort(rules);
        }

        /// <summary>Adds a rule (its Id and Slot are given out here) and makes it live.</summary>
        internal XdpRule Add(XdpRule spec)
        {
            var rules = ReadRules();
            if (rules.FirstOrDefault(r => r.SameMatch(spec)) is XdpRule existing)
                throw new BpfException(BpfErrorKind.AlreadyExists,
                    $"Rule {existing.Id} ({existing}) already matches exactly these packets.",
                    $"To change what happens to them, remove rule {existing.Id} first (Remove-BpfXdpFilter -RuleId {existing.Id}).")
                { ErrorId = BpfErrorIds.XdpRuleExists };
            int slot = Enumerable.Range(0, XdpLimits.MaxRules).Except(rules.Select(r => r.Slot)).DefaultIfEmpty(-1).First();
            if (slot < 0)
                throw new BpfException(BpfErrorKind.LimitExceeded, $"The filter already has {XdpLimits.MaxRules} rules, as many as it holds.",
                    "Remove rules that no longer match anything (Get-BpfXdpFilter shows their Packets), or merge rules into wider prefixes.")
                { ErrorId = BpfErrorIds.XdpRuleLimitReached };

            var state = ReadState();
            var rule = spec with { Id = state.NextRuleId, Slot = slot, AddedAt = DateTime.Now };
            state.NextRuleId++;
            WriteState(state);
            Counters.Update((uint)slot, new XdpCounter());
            Rules.Update((uint)slot, XdpRuleRecord.From(rule));
            rules.Add(rule);
            Publish(rules);
            return rule;
        }

        /// <summary>Takes a rule out of the live tables, then frees its slot.</summary>
        internal XdpRule Remove(uint id)
        {
            var rules = ReadRules();
            var rule = rules.FirstOrDefault(r => r.Id == id)
                ?? throw new BpfException(BpfErrorKind.NotFound, $"The filter has no rule {id}.",
                    "Get-BpfXdpFilter lists the rules with their RuleId.") { ErrorId = BpfErrorIds.XdpRuleNotFound };
            rules.Remove(rule);
            Publish(rules);
            Rules.Update((uint)rule.Slot, new XdpFilterRule());
            return rule;
        }

        internal XdpCounter Counter(int slot) => Sum(Counters.LookupPerCpu<uint, XdpCounter>((uint)slot));

        internal XdpCounter Total(XdpTotal total) => Sum(Totals.LookupPerCpu<uint, XdpCounter>((uint)total));

        private static XdpCounter Sum(XdpCounter[] perCpu)
        {
            var sum = new XdpCounter();
            foreach (var c in perCpu)
            {
                sum.Packets += c.Packets;
                sum.Bytes += c.Bytes;
            }
            return sum;
        }

        /// <summary>Compiles <paramref name="rules"/> into the idle generation and switches the program to it.</summary>
        internal void Publish(IReadOnlyCollection<XdpRule> rules)
        {
            var state = ReadState();
            byte idle = (byte)(state.Generation ^ 1);
            // Entries of the idle generation are left from the change before last: no packet reads them now.
            foreach (var key in Prefixes.Keys<XdpPrefixKey>().Where(k => k.Generation == idle)) Prefixes.Delete(key);
            foreach (var key in Ports.Keys<XdpPortKey>().Where(k => k.Generation == idle)) Ports.Delete(key);

            var compiled = XdpRuleCompiler.Compile(rules, idle);
            for (int protocol = 0; protocol < XdpLimits.Protocols; protocol++)
                Protocols.Update((uint)(idle * XdpLimits.Protocols + protocol), compiled.Protocols[protocol]);
            foreach (var (key, mask) in compiled.Prefixes) Prefixes.Update(key, mask);
            foreach (var (key, mask) in compiled.Ports) Ports.Update(key, mask);
            Tables.Update((uint)idle, compiled.Table);

            state.Generation = idle;
            WriteState(state);
        }

        public void Dispose()
        {
            foreach (var map in _maps) map.Dispose();
        }
    }
}
